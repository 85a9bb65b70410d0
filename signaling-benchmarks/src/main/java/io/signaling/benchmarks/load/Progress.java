package io.signaling.benchmarks.load;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints one progress line a second to stderr until closed. */
final class Progress implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final long start = System.nanoTime();

    Progress(String mode, PrintStream err, Supplier<String> line) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "load-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                err.println("[" + mode + " " + s + "s] " + line.get());
            } catch (RuntimeException e) {
                // A progress line is a courtesy; a failure in it must not end the run.
                err.println("[" + mode + "] progress failed: " + e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
