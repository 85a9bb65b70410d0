package io.signaling.adapter.undertow.websocket;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A connection's clocks: a ping every {@code pingNanos}, the idle timeout counted from the last
 * inbound frame (pings we send do not count), and the send timeout of the write in flight. One
 * self-rescheduling task on the connection's I/O thread wakes at the earliest deadline; it stops
 * once the connection is closing.
 *
 * <p>Thread-safety: {@link #received} is safe from any thread; the tick's own state is confined
 * to the I/O thread.
 */
final class ConnectionTimers {

    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** What a deadline does; runs on the I/O thread. */
    interface Actions {
        void ping();

        /** Nothing arrived within the idle timeout. */
        void idle();

        /** The write in flight did not complete within the send timeout. */
        void sendTimedOut();
    }

    private final IoThread ioThread;
    private final LongSupplier nanoTime;
    private final long pingNanos;
    private final long idleNanos;
    private final long sendTimeoutNanos;
    private final Supplier<OutboundQueue.InFlight> inFlight;
    private final BooleanSupplier closing;
    private final Actions actions;
    private final Runnable tick = this::tick;

    private volatile long lastReceived;
    private long nextPing; // I/O thread only

    ConnectionTimers(IoThread ioThread, LongSupplier nanoTime, long pingNanos, long idleNanos, long sendTimeoutNanos,
                     Supplier<OutboundQueue.InFlight> inFlight, BooleanSupplier closing, Actions actions) {
        this.ioThread = Objects.requireNonNull(ioThread, "ioThread");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.pingNanos = pingNanos;
        this.idleNanos = idleNanos;
        this.sendTimeoutNanos = sendTimeoutNanos;
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.closing = Objects.requireNonNull(closing, "closing");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.lastReceived = nanoTime.getAsLong();
    }

    /** An inbound frame (any kind) arrived: the idle timeout starts over. */
    void received() {
        lastReceived = nanoTime.getAsLong();
    }

    /** Starts the clocks (from any thread; on the I/O thread, the common case, without a task hand-off). */
    void start() {
        lastReceived = nanoTime.getAsLong();
        if (ioThread.isCurrent()) {
            arm();
            return;
        }
        try {
            ioThread.execute(this::arm);
        } catch (RejectedExecutionException e) {
            // the server is stopping; its close tasks will end this connection
        }
    }

    private void arm() {
        nextPing = nanoTime.getAsLong() + pingNanos;
        schedule(Math.min(Math.min(pingNanos, idleNanos), sendTimeoutNanos));
    }

    private void schedule(long delayNanos) {
        if (closing.getAsBoolean()) {
            return;
        }
        try {
            ioThread.executeAfter(tick, Math.max(delayNanos, MIN_TICK_NANOS));
        } catch (RejectedExecutionException e) {
            // the server is stopping; its close tasks will end this connection
        }
    }

    private void tick() {
        if (closing.getAsBoolean()) {
            return;
        }
        long now = nanoTime.getAsLong();
        long idleDeadline = lastReceived + idleNanos;
        if (now - idleDeadline >= 0) {
            actions.idle();
            return;
        }
        OutboundQueue.InFlight write = inFlight.get();
        long sendDeadline = write.sinceNanos() + sendTimeoutNanos;
        if (write.writing() && now - sendDeadline >= 0) {
            actions.sendTimedOut();
            return;
        }
        if (now - nextPing >= 0) {
            actions.ping();
            nextPing = now + pingNanos;
        }
        long wake = Math.min(nextPing - now, idleDeadline - now);
        wake = Math.min(wake, write.writing() ? sendDeadline - now : sendTimeoutNanos);
        schedule(wake);
    }
}
