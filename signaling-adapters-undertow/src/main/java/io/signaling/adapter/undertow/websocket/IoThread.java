package io.signaling.adapter.undertow.websocket;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioIoThread;

/**
 * The one thread that runs a connection's events and timers, as its parts see it: Undertow's I/O
 * thread in production, a plain executor in unit tests.
 *
 * <p>Thread-safety: safe from any thread.
 */
interface IoThread {

    /** Whether the caller is this thread. */
    boolean isCurrent();

    /** Runs {@code task} on this thread soon; throws {@link RejectedExecutionException} when it is stopping. */
    void execute(Runnable task);

    /** Runs {@code task} on this thread after {@code delayNanos}; throws {@link RejectedExecutionException} when it is stopping. */
    void executeAfter(Runnable task, long delayNanos);

    static IoThread of(XnioIoThread thread) {
        return new IoThread() {
            @Override
            public boolean isCurrent() {
                return Thread.currentThread() == thread;
            }

            @Override
            public void execute(Runnable task) {
                thread.execute(task);
            }

            @Override
            public void executeAfter(Runnable task, long delayNanos) {
                thread.executeAfter(task, delayNanos, TimeUnit.NANOSECONDS);
            }
        };
    }
}
