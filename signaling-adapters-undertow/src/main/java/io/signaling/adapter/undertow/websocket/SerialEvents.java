package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.log.Logger;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One connection's listener events, one at a time and in order, whichever thread raised them:
 * the rule behind "events of one connection never overlap".
 *
 * <p>Lock-free: events wait in a queue and the thread that wins the {@code delivering} flag drains
 * it. On the connection's I/O thread an event runs at once (in order behind what is queued);
 * from any other thread the drain is handed to the I/O thread. {@link #deliverLater} never runs
 * the event on the caller's stack, for a caller that may hold a lock the event must not run under.
 *
 * <p>Thread-safety: safe from any thread.
 */
final class SerialEvents {

    private final IoThread ioThread;
    private final Logger log;
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private final Runnable drain = this::drain;

    SerialEvents(IoThread ioThread, Logger log) {
        this.ioThread = Objects.requireNonNull(ioThread, "ioThread");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Runs {@code event} in turn: at once when the caller is the idle I/O thread, else on the I/O thread. */
    void deliver(Runnable event) {
        events.add(event);
        if (delivering.compareAndSet(false, true)) {
            if (ioThread.isCurrent()) {
                drain();
            } else {
                runOnIoThread(drain);
            }
        }
    }

    /**
     * {@link #deliver} for the hot path: on the idle I/O thread with nothing queued, runs
     * {@code handler} on {@code value} directly, without allocating a task.
     */
    <T> void deliver(Consumer<? super T> handler, T value) {
        if (ioThread.isCurrent() && delivering.compareAndSet(false, true)) {
            if (events.isEmpty()) {
                runSafely(handler, value);
            } else {
                events.add(() -> handler.accept(value));
            }
            drain();
        } else {
            deliver(() -> handler.accept(value));
        }
    }

    /** Like {@link #deliver}, but never on the caller's stack: always as a task of the I/O thread. */
    void deliverLater(Runnable event) {
        events.add(event);
        if (delivering.compareAndSet(false, true)) {
            runOnIoThread(drain);
        }
    }

    private void drain() {
        for (;;) {
            Runnable event;
            while ((event = events.poll()) != null) {
                runSafely(Runnable::run, event);
            }
            delivering.set(false);
            // An event added after the poll saw the flag still set and left the drain to us.
            if (events.isEmpty() || !delivering.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private <T> void runSafely(Consumer<? super T> handler, T value) {
        try {
            handler.accept(value);
        } catch (RuntimeException e) {
            log.error("listener event failed", e);
        }
    }

    private void runOnIoThread(Runnable task) {
        try {
            ioThread.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // the I/O thread is shutting down: nothing else will run these events
        }
    }
}
