package io.signaling.application.signaling;

import io.signaling.ports.signaling.TaskScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler driven by the test: tasks run only when time is advanced past their due time. */
final class ManualScheduler implements TaskScheduler {

    record Task(long dueNanos, Runnable runnable, boolean[] cancelled) {
    }

    private final ManualClock clock;
    private final List<Task> tasks = new ArrayList<>();

    ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(clock.getAsLong() + delay.toNanos(), task, cancelled));
        return () -> {
            synchronized (ManualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    synchronized List<Long> pendingDelaysFrom(long originNanos) {
        return tasks.stream().filter(t -> !t.cancelled()[0]).map(t -> t.dueNanos() - originNanos).sorted().toList();
    }

    /** Moves the clock forward, running each task that falls due, in due order, at its due time. */
    void advance(Duration by) {
        long target = clock.getAsLong() + by.toNanos();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.dueNanos() <= target)
                        .min(Comparator.comparingLong(Task::dueNanos)).orElse(null);
                if (next != null) {
                    tasks.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            if (next.dueNanos() > clock.getAsLong()) {
                clock.set(next.dueNanos());
            }
            if (!next.cancelled()[0]) {
                next.runnable().run();
            }
        }
        clock.set(target);
    }
}
