package io.signaling.benchmarks.load;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP mode: C closed loops of GET on the JDK client. It is the fallback when {@code wrk} is
 * absent; the JDK client is itself slower than the servers it loads, so prefer wrk for the
 * throughput ceiling and use this for a correctness and latency check.
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
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> {
                    var t = new Thread(r, "load-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        try {
            var client = HttpClient.newBuilder().executor(executor).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            var request = HttpRequest.newBuilder(o.url()).timeout(Duration.ofSeconds(10)).GET().build();
            long start = System.nanoTime();
            long end = start + o.duration().toNanos();
            var done = new CountDownLatch(o.connections());
            long[] last = {0};
            try (var p = new Progress("http", err, () -> {
                long total = ok2xx.sum() + non2xx.sum();
                long perSec = total - last[0];
                last[0] = total;
                return String.format(java.util.Locale.ROOT, "requests=%d (%d/s) non2xx=%d failures=%d p99=%.2fms",
                        total, perSec, non2xx.sum(), failures.sum(), latency.tick());
            })) {
                for (int i = 0; i < o.connections(); i++) {
                    loop(client, request, end, done, ok2xx, non2xx, failures, firstFailure, latency);
                }
                // Requests in flight at the deadline are bounded by the request timeout.
                done.await(o.duration().toMillis() + 15_000, TimeUnit.MILLISECONDS);
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
        } finally {
            executor.shutdownNow();
        }
    }

    private static void loop(HttpClient client, HttpRequest request, long end, CountDownLatch done,
            LongAdder ok2xx, LongAdder non2xx, LongAdder failures, AtomicReference<String> firstFailure,
            Latency latency) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        long t0 = System.nanoTime();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, ex) -> {
            if (ex != null) {
                failures.increment();
                firstFailure.compareAndSet(null, String.valueOf(ex.getCause() != null ? ex.getCause() : ex));
            } else {
                latency.record(System.nanoTime() - t0);
                if (r.statusCode() / 100 == 2) {
                    ok2xx.increment();
                } else {
                    non2xx.increment();
                }
            }
            loop(client, request, end, done, ok2xx, non2xx, failures, firstFailure, latency);
        });
    }
}
