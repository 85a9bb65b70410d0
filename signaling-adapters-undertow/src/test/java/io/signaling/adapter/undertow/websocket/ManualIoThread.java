package io.signaling.adapter.undertow.websocket;

import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * An I/O thread on a manual clock, for one-threaded tests: tasks run only inside {@link #advance},
 * in due order, on the test's thread (which then counts as the I/O thread).
 */
final class ManualIoThread implements IoThread, LongSupplier {

    private record Task(long due, long seq, Runnable runnable) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due() != b.due()
            ? Long.compare(a.due(), b.due()) : Long.compare(a.seq(), b.seq()));
    private long now = 1_000_000_000L;
    private long seq;
    private boolean running;

    @Override
    public boolean isCurrent() {
        return running;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(new Task(now, seq++, task));
    }

    @Override
    public void executeAfter(Runnable task, long delayNanos) {
        tasks.add(new Task(now + delayNanos, seq++, task));
    }

    /** The clock. */
    @Override
    public long getAsLong() {
        return now;
    }

    /** Moves the clock by {@code nanos}, running every task that falls due, at its due time. */
    void advance(long nanos) {
        long target = now + nanos;
        Task next;
        while ((next = tasks.peek()) != null && next.due() <= target) {
            tasks.poll();
            now = Math.max(now, next.due());
            running = true;
            try {
                next.runnable().run();
            } finally {
                running = false;
            }
        }
        now = target;
    }

    int pending() {
        return tasks.size();
    }
}
