package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Echo mode on {@link NioWebSockets} (the default {@code --client nio}): N closed loops, one per
 * socket, all driven by the client's one selector thread, which sends the next message from the
 * callback that received the reply. {@link EchoMode} runs the same loops on one blocking thread per
 * socket; with 100 sockets those threads crowd the load core, and the round trips then measure its
 * scheduler rather than the server.
 *
 * <p>Styles: {@code echo} (raw text, echoed unchanged: the bare echo figure), {@code ping} (the
 * contract's ping/pong) and {@code relay}: the sockets join rooms of two, and each socket keeps one
 * relay of its own in flight, an {@code offer} to its room-mate that the mate sends straight back as
 * an {@code answer}. So every socket has exactly one message in the server at any time, as in the
 * echo, and one relay costs the server what one echo does: one frame in, one frame out.
 * {@code relaysPerSec} counts both legs; the latency is the round trip of the two.
 *
 * <p>Warm-up ({@code --warmup}, default 3 s): the loops run that long before the measured
 * {@code --duration}; round trips begun in it are checked but not timed or counted in the rates.
 *
 * <p>Threads: loop state is written by the main thread only before a loop's first send and by the
 * selector thread after it (the send's queue hand-off orders the two); the counters are adders.
 */
final class ClosedLoopMode {

    /** A loop whose reply has not come back this long after the run's end is reported as stalled. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private ClosedLoopMode() {
    }

    /** One socket's loop. */
    private static final class Loop {
        final int index;
        final WsSession session;
        String mate;
        long seq;
        long sentAt;
        /** The text whose echo (or the id whose pong, or the seq whose answer) is awaited; null: none in flight. */
        String awaited;
        boolean stopped;

        Loop(int index, WsSession session) {
            this.index = index;
            this.session = session;
        }
    }

    static Outcome run(Options o, PrintStream err) throws InterruptedException {
        String style = o.style();
        boolean relay = style.equals("relay");
        var latency = new Latency();
        var measured = new LongAdder();
        var checked = new LongAdder();
        var mismatches = new LongAdder();
        var answered = new LongAdder();
        var inFlight = new AtomicLong();
        long[] window = {Long.MAX_VALUE, Long.MAX_VALUE}; // measured from, to: set before the first send
        String pad = pad(style, o.payloadBytes());

        try (var fleet = new Fleet(true, false)) {
            Map<WsSession, Loop> loops = new java.util.concurrent.ConcurrentHashMap<>();
            WsSession.Handler handler = (s, type, msg, raw) -> {
                Loop loop = loops.get(s);
                if (loop == null) {
                    return; // welcome and joined, before the loops start
                }
                if ("error".equals(type)) {
                    // Counted by the session; no reply will follow, so this loop ends.
                    stop(loop, inFlight);
                    return;
                }
                if (relay && "offer".equals(type)) {
                    // The mate's loop: send its payload straight back.
                    String from = MiniJson.string(msg, "from");
                    s.send("{\"type\":\"answer\",\"to\":" + MiniJson.quote(from) + ",\"payload\":"
                            + msg.get("payload") + "}");
                    answered.increment();
                    return;
                }
                if (!isReply(style, type, raw)) {
                    return; // welcome, notices, peer-joined: not replies
                }
                if (loop.awaited == null || !loop.awaited.equals(replyKey(style, msg, raw))) {
                    mismatches.increment();
                    stop(loop, inFlight);
                    return;
                }
                long now = s.receivedNanos();
                checked.increment();
                if (loop.sentAt >= window[0] && now <= window[1]) {
                    latency.record(now - loop.sentAt);
                    measured.increment();
                }
                loop.awaited = null;
                inFlight.decrementAndGet();
                if (now < window[1] && !loop.stopped) {
                    send(loop, style, pad, inFlight);
                }
            };
            long connectDeadline = System.nanoTime() + o.connectTimeout().toNanos();
            List<WsSession> sessions;
            try (var p = new Progress("echo", err, () -> "connecting: open=" + fleet.sessions.size()
                    + " failed=" + fleet.connectFailures.get() + " joined=" + fleet.joinedCount.get())) {
                fleet.open(o.url(), o.connections(), o.concurrency(), connectDeadline, i -> handler);
                // Ping and relay need the welcome first (the server's first frame); relay also the room.
                sessions = relay ? fleet.join(2, connectDeadline)
                        : style.equals("ping") ? fleet.welcomed(connectDeadline) : List.copyOf(fleet.sessions);
            }
            var all = new java.util.ArrayList<Loop>();
            for (int i = 0; i < sessions.size(); i++) {
                var loop = new Loop(i, sessions.get(i));
                if (relay) {
                    int mate = i % 2 == 0 ? i + 1 : i - 1;
                    if (mate >= sessions.size()) {
                        continue; // a failed join left an odd one out: no room-mate (the run fails)
                    }
                    loop.mate = sessions.get(mate).peerId();
                }
                all.add(loop);
            }
            long start = System.nanoTime();
            window[0] = start + o.warmup().toNanos();
            window[1] = window[0] + o.duration().toNanos();
            // Published to the selector thread by each loop's first send (a queue hand-off).
            for (Loop loop : all) {
                loops.put(loop.session, loop);
            }
            long[] last = {0};
            long[] cpu = {0, 0};
            long[] serverCpu = {-1, -1};
            try (var p = new Progress("echo", err, () -> {
                long total = checked.sum();
                long perSec = total - last[0];
                last[0] = total;
                return String.format(java.util.Locale.ROOT,
                        "open=%d roundTrips=%d (%d/s) inFlight=%d mismatches=%d errors=%d p99=%.2fms",
                        fleet.openCount(), total, perSec, inFlight.get(), mismatches.sum(), fleet.errors.total(),
                        latency.tick());
            })) {
                for (Loop loop : all) {
                    send(loop, style, pad, inFlight);
                }
                parkUntil(window[0]);
                cpu[0] = RelayMode.cpuNanos();
                serverCpu[0] = o.pid() == null ? -1 : ProcStats.cpuNanos(o.pid());
                parkUntil(window[1]);
                cpu[1] = RelayMode.cpuNanos();
                serverCpu[1] = o.pid() == null ? -1 : ProcStats.cpuNanos(o.pid());
                long end = window[1];
                // Loops stop sending at the end; wait for what is still in the server (nothing comes
                // back to a socket that was closed).
                long drainEnd = end + DRAIN_NANOS;
                while (inFlight.get() > 0 && fleet.openCount() > 0 && System.nanoTime() < drainEnd) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
            double seconds = o.duration().toNanos() / 1e9;
            long roundTrips = measured.sum();
            long stalled = inFlight.get();
            var m = new LinkedHashMap<String, Object>();
            m.put("mode", "echo");
            m.put("style", style);
            m.put("client", "nio");
            m.put("url", o.url().toString());
            m.putAll(RelayMode.connectStats(o, fleet, sessions.size()));
            m.put("loops", all.size());
            m.put("payloadBytes", o.payloadBytes());
            m.put("warmupS", o.warmup().toMillis() / 1e3);
            m.put("durationS", seconds);
            m.put("roundTrips", roundTrips);
            m.put("roundTripsPerSec", roundTrips / seconds);
            if (relay) {
                // Each round trip is two relays through the server: the offer and its answer.
                m.put("relaysPerSec", 2 * roundTrips / seconds);
                m.put("answered", answered.sum());
            }
            m.put("checkedRoundTrips", checked.sum());
            m.put("mismatches", mismatches.sum());
            m.put("stalled", stalled);
            m.put("stillOpen", fleet.openCount());
            m.put("errors", fleet.errors.snapshot());
            m.put("latency", latency.summary());
            // Client health: near one core's worth means the figures measure the tool, not the server.
            m.put("clientCpuSeconds", cpu[0] < 0 || cpu[1] < 0 ? null : (cpu[1] - cpu[0]) / 1e9);
            if (o.pid() != null) {
                // What the server spent on the measured part: a cost per message that holds whether
                // the server or this client was the one at its core's limit.
                boolean read = serverCpu[0] >= 0 && serverCpu[1] > serverCpu[0];
                double serverSeconds = read ? (serverCpu[1] - serverCpu[0]) / 1e9 : Double.NaN;
                m.put("serverCpuSeconds", read ? serverSeconds : null);
                m.put("perServerCpuSecond", read ? (relay ? 2 * roundTrips : roundTrips) / serverSeconds : null);
            }
            if (style.equals("echo") && fleet.errors.total() > 0) {
                m.put("hint", "the server answered errors instead of echoing: it does not echo raw text; use --style ping");
            }
            boolean ok = roundTrips > 0 && mismatches.sum() == 0 && fleet.errors.total() == 0 && stalled == 0
                    && fleet.connectFailures.get() == 0 && fleet.joinFailures == 0 && all.size() == o.connections();
            m.put("ok", ok);
            return new Outcome(m, ok);
        }
    }

    private static void parkUntil(long deadline) throws InterruptedException {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(100), left));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static void send(Loop loop, String style, String pad, AtomicLong inFlight) {
        long seq = loop.seq++;
        String id = "e" + loop.index + "-" + seq;
        String text = switch (style) {
            case "ping" -> "{\"type\":\"ping\",\"id\":\"" + id + "\"" + pad + "}";
            case "relay" -> "{\"type\":\"offer\",\"to\":" + MiniJson.quote(loop.mate) + ",\"payload\":{\"loop\":\""
                    + id + "\"" + pad + "}}";
            default -> id + ":" + pad;
        };
        loop.awaited = style.equals("echo") ? text : id;
        inFlight.incrementAndGet();
        loop.sentAt = System.nanoTime();
        loop.session.send(text);
    }

    private static void stop(Loop loop, AtomicLong inFlight) {
        if (loop.awaited != null) {
            loop.awaited = null;
            inFlight.decrementAndGet();
        }
        loop.stopped = true;
    }

    private static boolean isReply(String style, String type, String raw) {
        return switch (style) {
            case "ping" -> "pong".equals(type);
            case "relay" -> "answer".equals(type);
            default -> type == null && !raw.isEmpty() && raw.charAt(0) != '{';
        };
    }

    private static String replyKey(String style, Map<String, String> msg, String raw) {
        return switch (style) {
            case "ping" -> MiniJson.string(msg, "id");
            case "relay" -> {
                String payload = msg.get("payload");
                yield payload == null ? null : MiniJson.string(MiniJson.parseObject(payload), "loop");
            }
            default -> raw;
        };
    }

    /** Fills a message up to about {@code payloadBytes}: an ignored field, or for echo the text itself. */
    static String pad(String style, int payloadBytes) {
        return switch (style) {
            // {"type":"ping","id":"eN-N"} is about 30 bytes.
            case "ping" -> padField(payloadBytes - 40);
            // {"type":"offer","to":"<22-char id>","payload":{"loop":"eN-N"}} is about 70 bytes; the
            // server adds "from".
            case "relay" -> padField(payloadBytes - 70);
            default -> "x".repeat(Math.max(0, payloadBytes - 10));
        };
    }

    private static String padField(int length) {
        return length <= 0 ? "" : ",\"pad\":\"" + "x".repeat(length) + "\"";
    }
}
