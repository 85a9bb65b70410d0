package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Echo mode: N sockets, each in a closed loop (send, wait for the reply, send again).
 *
 * <p>{@code --style echo} sends raw text that does not start with '{' and expects it back
 * unchanged: the bare native echo figure (the app does not echo; it answers bad-message).
 * {@code --style ping} sends the contract's {@code ping} with an {@code id} (padded to the
 * payload size with an ignored field) and expects {@code pong} with that id: a round trip that
 * both the app and the baseline serve, through their JSON parsing.
 */
final class EchoMode {

    private EchoMode() {
    }

    private static final class Loop {
        long seq;
        volatile String expected;
        volatile long sentAt;
    }

    static Outcome run(Options o, PrintStream err) throws InterruptedException {
        var latency = new Latency();
        var roundTrips = new LongAdder();
        var mismatches = new LongAdder();
        boolean ping = o.style().equals("ping");
        String pad = ping ? pingPad(o.payloadBytes()) : "";
        long[] window = {0, Long.MAX_VALUE}; // start, end: set once every socket is open
        var loops = new java.util.concurrent.ConcurrentHashMap<Integer, Loop>();

        try (var fleet = new Fleet()) {
            WsSession.Handler handler = (s, type, msg, raw) -> {
                Loop loop = loops.get(s.index);
                if (loop == null || loop.expected == null) {
                    return;
                }
                boolean reply;
                if (ping) {
                    if (!"pong".equals(type)) {
                        return;
                    }
                    reply = loop.expected.equals(MiniJson.string(msg, "id"));
                } else {
                    if (type != null) {
                        return; // welcome or an error: counted by the session, not an echo
                    }
                    reply = loop.expected.equals(raw);
                }
                long now = System.nanoTime();
                if (!reply) {
                    mismatches.increment();
                    return;
                }
                latency.record(now - loop.sentAt);
                roundTrips.increment();
                if (now < window[1]) {
                    next(s, loop, ping, pad, o.payloadBytes());
                } else {
                    loop.expected = null;
                }
            };
            long connectDeadline = System.nanoTime() + o.connectTimeout().toNanos();
            try (var p = new Progress("echo", err, () -> "connecting: open=" + fleet.sessions.size())) {
                fleet.open(o.url(), o.connections(), o.concurrency(), connectDeadline, i -> handler);
            }
            window[0] = System.nanoTime();
            window[1] = window[0] + o.duration().toNanos();
            long[] last = {0};
            try (var p = new Progress("echo", err, () -> {
                long total = roundTrips.sum();
                long perSec = total - last[0];
                last[0] = total;
                return String.format(java.util.Locale.ROOT, "open=%d roundTrips=%d (%d/s) mismatches=%d errors=%d p99=%.2fms",
                        fleet.openCount(), total, perSec, mismatches.sum(), fleet.errors.total(), latency.tick());
            })) {
                for (WsSession s : fleet.sessions) {
                    var loop = new Loop();
                    loops.put(s.index, loop);
                    next(s, loop, ping, pad, o.payloadBytes());
                }
                while (System.nanoTime() < window[1]) {
                    LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(50), window[1] - System.nanoTime()));
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            }
            double seconds = (System.nanoTime() - window[0]) / 1e9;
            long total = roundTrips.sum();
            var m = new LinkedHashMap<String, Object>();
            m.put("mode", "echo");
            m.put("style", o.style());
            m.put("url", o.url().toString());
            m.put("connections", o.connections());
            m.put("opened", fleet.sessions.size());
            m.put("connectFailures", fleet.connectFailures.get());
            if (fleet.firstFailure.get() != null) {
                m.put("firstFailure", fleet.firstFailure.get());
            }
            m.put("payloadBytes", o.payloadBytes());
            m.put("durationS", seconds);
            m.put("roundTrips", total);
            m.put("roundTripsPerSec", total / seconds);
            m.put("mismatches", mismatches.sum());
            m.put("errors", fleet.errors.snapshot());
            m.put("latency", latency.summary());
            if (!ping && total == 0 && fleet.errors.total() > 0) {
                m.put("hint", "the server answered errors instead of echoing: it does not echo raw text; use --style ping");
            }
            boolean ok = total > 0 && mismatches.sum() == 0 && fleet.errors.total() == 0
                    && fleet.connectFailures.get() == 0;
            m.put("ok", ok);
            return new Outcome(m, ok);
        }
    }

    private static void next(WsSession s, Loop loop, boolean ping, String pad, int payloadBytes) {
        long seq = loop.seq++;
        String text;
        if (ping) {
            String id = "e" + s.index + "-" + seq;
            loop.expected = id;
            text = "{\"type\":\"ping\",\"id\":\"" + id + "\"" + pad + "}";
        } else {
            String head = "e" + s.index + "-" + seq + ":";
            text = head + "x".repeat(Math.max(0, payloadBytes - head.length()));
            loop.expected = text;
        }
        loop.sentAt = System.nanoTime();
        s.send(text);
    }

    private static String pingPad(int payloadBytes) {
        // {"type":"ping","id":"eN-N"} is about 30 bytes; an ignored field fills the rest.
        int padLength = Math.max(0, payloadBytes - 40);
        return padLength == 0 ? "" : ",\"pad\":\"" + "x".repeat(padLength) + "\"";
    }
}
