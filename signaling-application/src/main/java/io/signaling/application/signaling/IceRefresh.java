package io.signaling.application.signaling;

import io.signaling.application.ice.TurnCredentials;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.ports.signaling.MessageCodec;
import io.signaling.ports.signaling.TaskScheduler;
import io.signaling.ports.websocket.TextFrame;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * (v1.1) Sends fresh {@code ice-servers} at a random point between 50% and 80% of the TURN
 * credentials' lifetime, so a long call can still reach TURN after its first credentials expire.
 *
 * <p>Thread-safety: safe for concurrent use; a session's refresh task runs under the session's
 * monitor. Owns a one-thread executor unless a scheduler was injected.
 */
final class IceRefresh {

    private final TurnCredentials iceServers;
    private final MessageCodec codec;
    private final RandomGenerator random;
    private final TaskScheduler injected;
    private final BiConsumer<Session, TextFrame> send;
    private final Object lock = new Object();
    private TaskScheduler scheduler;
    private ScheduledExecutorService owned;

    IceRefresh(TurnCredentials iceServers, MessageCodec codec, RandomGenerator random, TaskScheduler injected,
               BiConsumer<Session, TextFrame> send) {
        this.iceServers = iceServers;
        this.codec = codec;
        this.random = random;
        this.injected = injected;
        this.send = send;
    }

    /** Whether refreshes are due at all (TURN credentials with an expiry are configured). */
    boolean expiring() {
        return iceServers.configured() && iceServers.expiring();
    }

    /** Call holding the session's monitor, after handing out {@code issued}. */
    void schedule(Session session) {
        long lifetimeMs = iceServers.settings().ttl().toMillis();
        long delayMs = lifetimeMs / 2 + random.nextLong(lifetimeMs * 3 / 10 + 1);
        session.iceRefresh = scheduler().schedule(Duration.ofMillis(delayMs), () -> refresh(session));
    }

    /** Call holding the session's monitor. */
    static void cancel(Session session) {
        if (session.iceRefresh != null) {
            session.iceRefresh.cancel();
            session.iceRefresh = null;
        }
    }

    private void refresh(Session session) {
        synchronized (session) {
            if (session.closed || session.drained) {
                return;
            }
            TurnCredentials.Issued issued = iceServers.issue();
            send.accept(session, TextFrame.of(codec.encode(new ServerMessage.IceServers(issued.servers()))));
            schedule(session);
        }
    }

    private TaskScheduler scheduler() {
        if (injected != null) {
            return injected;
        }
        synchronized (lock) {
            if (scheduler == null) {
                owned = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "signaling-ice-refresh");
                    thread.setDaemon(true);
                    return thread;
                });
                scheduler = TaskScheduler.of(owned);
            }
            return scheduler;
        }
    }

    void stop() {
        synchronized (lock) {
            if (owned != null) {
                owned.shutdownNow();
            }
        }
    }
}
