package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Echo mode on {@code --client blocking}: N sockets, each in a closed loop (send, wait for the
 * reply, send again), one thread and one {@link BlockingWebSocket} per socket. With 100 sockets
 * those threads crowd a pinned load core (docs/performance.md §4c), which is why
 * {@link ClosedLoopMode} on the nio client is the default; this one stays for comparison with
 * earlier runs.
 *
 * <p>{@code --style echo} sends raw text that does not start with '{' and expects it back
 * unchanged: the bare native echo figure (the app does not echo; it answers bad-message, and the
 * run reports that). {@code --style ping} sends the contract's {@code ping} with an {@code id}
 * (padded to the payload size with an ignored field) and expects {@code pong} with that id: a
 * round trip both servers serve through their JSON handling. The app's per-connection rate
 * limit applies to pings; a refused ping shows up under {@code errors}.
 */
final class EchoMode {

    private static final int READ_TIMEOUT_MS = 10_000;

    private EchoMode() {
    }

    static Outcome run(Options o, PrintStream err) throws InterruptedException {
        var latency = new Latency();
        var roundTrips = new LongAdder();
        var mismatches = new LongAdder();
        var connectFailures = new LongAdder();
        var dropped = new LongAdder();
        var errors = new ErrorCounts();
        var firstFailure = new AtomicReference<String>();
        boolean ping = o.style().equals("ping");
        var ready = new CountDownLatch(o.connections());
        var go = new CountDownLatch(1);
        long[] end = {Long.MAX_VALUE};
        var threads = new ArrayList<Thread>();
        var open = new LongAdder();

        for (int i = 0; i < o.connections(); i++) {
            int index = i;
            var t = new Thread(() -> {
                BlockingWebSocket ws;
                try {
                    ws = new BlockingWebSocket(o.url(), READ_TIMEOUT_MS);
                } catch (IOException e) {
                    connectFailures.increment();
                    firstFailure.compareAndSet(null, e.toString());
                    ready.countDown();
                    return;
                }
                try (ws) {
                    open.increment();
                    ready.countDown();
                    go.await();
                    loop(ws, index, o.payloadBytes(), ping, end[0], latency, roundTrips, mismatches, errors);
                } catch (IOException e) {
                    dropped.increment();
                    firstFailure.compareAndSet(null, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    open.decrement();
                }
            }, "load-echo-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        try (var p = new Progress("echo", err, () -> "connecting: open=" + open.sum())) {
            threads.forEach(Thread::start);
            if (!ready.await(o.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                firstFailure.compareAndSet(null, "connect phase timed out");
            }
        }
        long start = System.nanoTime();
        end[0] = start + o.duration().toNanos();
        long[] last = {0};
        try (var p = new Progress("echo", err, () -> {
            long total = roundTrips.sum();
            long perSec = total - last[0];
            last[0] = total;
            return String.format(java.util.Locale.ROOT, "open=%d roundTrips=%d (%d/s) mismatches=%d errors=%d p99=%.2fms",
                    open.sum(), total, perSec, mismatches.sum(), errors.total(), latency.tick());
        })) {
            go.countDown();
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end[0] - System.nanoTime()) + READ_TIMEOUT_MS + 5_000));
            }
        }
        double seconds = (Math.min(System.nanoTime(), end[0]) - start) / 1e9;
        long total = roundTrips.sum();
        var m = new LinkedHashMap<String, Object>();
        m.put("mode", "echo");
        m.put("style", o.style());
        m.put("client", "blocking");
        m.put("url", o.url().toString());
        m.put("connections", o.connections());
        m.put("opened", o.connections() - connectFailures.sum());
        m.put("connectFailures", connectFailures.sum());
        m.put("dropped", dropped.sum());
        if (firstFailure.get() != null) {
            m.put("firstFailure", firstFailure.get());
        }
        m.put("payloadBytes", o.payloadBytes());
        m.put("durationS", seconds);
        m.put("roundTrips", total);
        m.put("roundTripsPerSec", total / seconds);
        m.put("mismatches", mismatches.sum());
        m.put("errors", errors.snapshot());
        m.put("latency", latency.summary());
        if (!ping && errors.total() > 0) {
            m.put("hint", "the server answered errors instead of echoing: it does not echo raw text; use --style ping");
        }
        boolean ok = total > 0 && mismatches.sum() == 0 && errors.total() == 0 && connectFailures.sum() == 0
                && dropped.sum() == 0;
        m.put("ok", ok);
        return new Outcome(m, ok);
    }

    private static void loop(BlockingWebSocket ws, int index, int payloadBytes, boolean ping, long end,
            Latency latency, LongAdder roundTrips, LongAdder mismatches, ErrorCounts errors) throws IOException {
        String pad = ping ? pingPad(payloadBytes) : "";
        for (long seq = 0; System.nanoTime() < end; seq++) {
            String id = "e" + index + "-" + seq;
            String text = ping ? "{\"type\":\"ping\",\"id\":\"" + id + "\"" + pad + "}"
                    : id + ":" + "x".repeat(Math.max(0, payloadBytes - id.length() - 1));
            long sentAt = System.nanoTime();
            ws.sendText(text);
            while (true) {
                String reply = ws.readText();
                if (!reply.isEmpty() && reply.charAt(0) == '{') {
                    var msg = MiniJson.parseObject(reply);
                    String type = MiniJson.string(msg, "type");
                    if ("error".equals(type)) {
                        // No echo will follow: this socket's loop ends, the summary shows why.
                        errors.add(MiniJson.string(msg, "code"));
                        return;
                    }
                    if (!ping || !"pong".equals(type)) {
                        continue; // welcome and other notices are not replies
                    }
                    if (!id.equals(MiniJson.string(msg, "id"))) {
                        mismatches.increment();
                        return;
                    }
                } else if (ping || !reply.equals(text)) {
                    mismatches.increment();
                    return;
                }
                latency.record(System.nanoTime() - sentAt);
                roundTrips.increment();
                break;
            }
        }
    }

    private static String pingPad(int payloadBytes) {
        // {"type":"ping","id":"eN-N"} is about 30 bytes; an ignored field fills the rest.
        int padLength = Math.max(0, payloadBytes - 40);
        return padLength == 0 ? "" : ",\"pad\":\"" + "x".repeat(padLength) + "\"";
    }
}
