package io.signaling.ports.signaling;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay; the seam that lets tests drive time by hand.
 *
 * <p>Direction: outbound. Thread-safety: safe for concurrent use; tasks may run on any thread.
 */
@FunctionalInterface
public interface TaskScheduler {

    /** A scheduled task that may still be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the task off if it has not started; harmless otherwise. */
        void cancel();
    }

    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduler on an executor the caller owns (and shuts down). */
    static TaskScheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (delay, task) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
