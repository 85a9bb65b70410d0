package io.signaling.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP mode: C closed loops of GET, one thread and one keep-alive connection each (see
 * {@link Http1Connection} for why not the JDK client). {@code wrk} remains the reference tool
 * for the HTTP figure; this mode serves where wrk is absent. Plain {@code http://} only.
 */
final class HttpMode {

    private HttpMode() {
    }

    static Outcome run(Options o, PrintStream err) throws InterruptedException {
        var ok2xx = new LongAdder();
        var non2xx = new LongAdder();
        var failures = new LongAdder();
        var firstFailure = new AtomicReference<String>();
        var latency = new Latency();
        long start = System.nanoTime();
        long end = start + o.duration().toNanos();
        var threads = new ArrayList<Thread>();
        long[] last = {0};
        try (var p = new Progress("http", err, () -> {
            long total = ok2xx.sum() + non2xx.sum();
            long perSec = total - last[0];
            last[0] = total;
            return String.format(java.util.Locale.ROOT, "requests=%d (%d/s) non2xx=%d failures=%d p99=%.2fms",
                    total, perSec, non2xx.sum(), failures.sum(), latency.tick());
        })) {
            for (int i = 0; i < o.connections(); i++) {
                var t = new Thread(() -> {
                    try (var conn = new Http1Connection(o.url())) {
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            try {
                                int status = conn.get();
                                latency.record(System.nanoTime() - t0);
                                if (status / 100 == 2) {
                                    ok2xx.increment();
                                } else {
                                    non2xx.increment();
                                }
                            } catch (IOException | RuntimeException e) {
                                failures.increment();
                                firstFailure.compareAndSet(null, e.toString());
                                conn.close();
                                // Back off so a dead server is not hammered by a spinning reconnect loop.
                                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                            }
                        }
                    }
                }, "load-http-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                // A request in flight at the deadline is bounded by the socket timeout.
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 15_000));
            }
        }
        double seconds = (Math.min(System.nanoTime(), end) - start) / 1e9;
        long total = ok2xx.sum() + non2xx.sum();
        var m = new LinkedHashMap<String, Object>();
        m.put("mode", "http");
        m.put("url", o.url().toString());
        m.put("connections", o.connections());
        m.put("durationS", seconds);
        m.put("requests", total);
        m.put("requestsPerSec", total / seconds);
        m.put("non2xx", non2xx.sum());
        m.put("failures", failures.sum());
        if (firstFailure.get() != null) {
            m.put("firstFailure", firstFailure.get());
        }
        m.put("latency", latency.summary());
        boolean ok = ok2xx.sum() > 0 && non2xx.sum() == 0 && failures.sum() == 0;
        m.put("ok", ok);
        return new Outcome(m, ok);
    }
}
