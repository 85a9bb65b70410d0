package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Relay mode: N sockets in rooms of K, each sending M relays per second (type {@code offer}) to
 * its room-mates in turn; every payload carries the sender's sequence number and send time
 * ({@code System.nanoTime}, valid because sender and receiver share this process).
 *
 * <p>One pacer thread schedules every send, 100 ticks a second, with each socket at its own phase
 * so load is spread evenly rather than in bursts. The send timestamp is taken when the message is
 * queued, so time spent waiting behind a slow socket counts as latency.
 *
 * <p>{@code --client nio} (the default) runs every socket on {@link NioWebSockets}' one selector
 * thread; {@code --client jdk} on the JDK HttpClient WebSocket, whose per-message executor
 * hand-offs keep the tool's core ~70% busy at 20k msg/s (its pacer lagged more than the p99 it
 * reported). Both report the same fields.
 *
 * <p>Warm-up ({@code --warmup}, default 3 s): sending starts that long before the measured
 * {@code --duration}. Its relays count in every check (loss, order, routing), but not in the
 * latency histogram, {@code deliveredPerSec}, {@code pacerMaxLagMs} or {@code clientCpuSeconds}:
 * in its first seconds the tool compiles its own hot path on its one core, and those figures are
 * meant to describe the server. The summary says how much was excluded ({@code warmupS},
 * {@code warmupDelivered}).
 *
 * <p>{@code --slow-consumers S}: S more sockets on their own selector client with a small
 * receive buffer join the rooms round-robin and stop reading; the fast members send to them from
 * the same pacer, outside the ledger and the latency. They are read again at the end to see
 * whether the server closed them (a socket that does not read cannot see its close).
 */
final class RelayMode {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * A slow consumer's kernel receive buffer: small, so that once it stops reading the server's
     * writes to it back up after a few KiB rather than the megabytes loopback autotuning allows.
     */
    static final int SLOW_RECEIVE_BUFFER_BYTES = 4 * 1024;
    /** How long the slow consumers get, reading again at the end, to show whether the server closed them. */
    private static final long SLOW_CHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

    private RelayMode() {
    }

    static Outcome run(Options o, PrintStream err) throws InterruptedException {
        var ledger = new RelayLedger();
        var latency = new Latency();
        var peerLeft = new LongAdder();
        var goaway = new LongAdder();
        var malformed = new LongAdder();
        var measuredDelivered = new LongAdder();
        var measureFrom = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        // Peers some fast socket was told have left: sends to slow consumers stop for those.
        Set<String> left = ConcurrentHashMap.newKeySet();
        Fleet slowFleet = null;
        try (var fleet = new Fleet(o.client().equals("nio"), o.v11())) {
            long connectDeadline = System.nanoTime() + o.connectTimeout().toNanos();
            WsSession.Handler handler = new WsSession.Handler() {
                @Override
                public void onMessage(WsSession s, String type, Map<String, String> msg, String raw) {
                    if (type == null) {
                        malformed.increment();
                        return;
                    }
                    switch (type) {
                        case "offer", "answer", "candidate" -> onRelay(s, msg, ledger, latency, malformed,
                                measureFrom.get(), measuredDelivered);
                        case "peer-left" -> {
                            peerLeft.increment();
                            String who = MiniJson.string(msg, "peerId");
                            if (who != null) {
                                left.add(who);
                            }
                        }
                        case "goaway" -> goaway.increment();
                        default -> {
                            // welcome, joined, peer-joined and errors are tracked by the session.
                        }
                    }
                }

                @Override
                public void onSendFailed(WsSession s, Object tag, Throwable error) {
                    if (tag instanceof String to) {
                        ledger.sendFailed(s.peerId(), to);
                    }
                }
            };
            Map<String, Object> connectStats;
            List<WsSession> joined;
            try (var p = new Progress("relay", err, () -> "connecting: open=" + fleet.sessions.size()
                    + " failed=" + fleet.connectFailures.get() + " joined=" + fleet.joinedCount.get())) {
                // With --url2, sockets alternate between the two nodes: rooms are filled in socket
                // order, so room-mates sit on different nodes.
                if (o.url2() != null) {
                    // v1.1: a session whose node drained resumes on the other one.
                    fleet.resumeTargets(List.of(o.url(), o.url2()));
                }
                fleet.open(o.url2() == null ? i -> o.url() : i -> i % 2 == 0 ? o.url() : o.url2(),
                        o.connections(), o.concurrency(), connectDeadline, i -> handler);
                joined = fleet.join(o.roomSize(), connectDeadline);
            }
            connectStats = connectStats(o, fleet, joined.size());

            // Room-mates from the tool's own assignment: every join was acknowledged, so each
            // room is complete on the server too.
            int n = joined.size();
            String[][] mates = new String[n][];
            String[][] prefixes = new String[n][];
            for (int i = 0; i < n; i++) {
                int roomStart = (i / o.roomSize()) * o.roomSize();
                int roomEnd = Math.min(n, roomStart + o.roomSize());
                var ids = new ArrayList<String>();
                for (int j = roomStart; j < roomEnd; j++) {
                    if (j != i) {
                        ids.add(joined.get(j).peerId());
                    }
                }
                mates[i] = ids.toArray(String[]::new);
                prefixes[i] = new String[mates[i].length];
                for (int m = 0; m < mates[i].length; m++) {
                    prefixes[i][m] = "{\"type\":\"offer\",\"to\":" + MiniJson.quote(mates[i][m])
                            + ",\"payload\":{\"seq\":";
                }
                ledger.register(joined.get(i).peerId(), new HashSet<>(ids));
            }
            String pad = padding(o.payloadBytes());

            // Slow consumers: more sockets in the same rooms that stop reading; the fast members
            // of each room send to them beside their measured relays.
            var slow = o.slow();
            List<WsSession> slowJoined = List.of();
            AtomicIntegerArray slowReceived = new AtomicIntegerArray(Math.max(1, slow.count()));
            LongAdder slowSent = new LongAdder();
            String[][] slowPrefixes = new String[n][0];
            String[][] slowIds = new String[n][0];
            Map<String, Object> slowConnectStats = Map.of();
            String slowSuffix = padding(slow.payloadBytes()) + "}}";
            if (slow.any()) {
                slowFleet = Fleet.slowConsumers(SLOW_RECEIVE_BUFFER_BYTES);
                var roomMembers = new LinkedHashMap<String, List<Integer>>();
                for (int i = 0; i < n; i++) {
                    roomMembers.computeIfAbsent(joined.get(i).joined.join(), r -> new ArrayList<>()).add(i);
                }
                var roomNames = new ArrayList<>(roomMembers.keySet());
                var slowFleetRef = slowFleet;
                WsSession.Handler slowHandler = (s, type, msg, raw) -> {
                    if ("offer".equals(type) && slowReceived.incrementAndGet(s.index) == slow.after()) {
                        s.pauseReading();
                    }
                };
                try (var p = new Progress("relay", err, () -> "slow consumers: open=" + slowFleetRef.sessions.size()
                        + " failed=" + slowFleetRef.connectFailures.get() + " joined=" + slowFleetRef.joinedCount.get())) {
                    long slowDeadline = System.nanoTime() + o.connectTimeout().toNanos();
                    slowFleet.open(o.url(), slow.count(), o.concurrency(), slowDeadline, i -> slowHandler);
                    slowJoined = slowFleet.join(i -> roomNames.get(i % roomNames.size()), slowDeadline);
                }
                if (slow.after() == 0) {
                    for (WsSession s : slowJoined) {
                        s.pauseReading();
                    }
                }
                slowConnectStats = connectStats(slow.count(), slowFleet, slowJoined.size());
                var slowByRoom = new LinkedHashMap<String, List<String>>();
                for (WsSession s : slowJoined) {
                    slowByRoom.computeIfAbsent(s.joined.join(), r -> new ArrayList<>()).add(s.peerId());
                }
                for (int i = 0; i < n; i++) {
                    slowIds[i] = slowByRoom.getOrDefault(joined.get(i).joined.join(), List.of()).toArray(String[]::new);
                    slowPrefixes[i] = new String[slowIds[i].length];
                    for (int m = 0; m < slowIds[i].length; m++) {
                        // Tagged nothing and numbered apart: not in the fast figures.
                        slowPrefixes[i][m] = "{\"type\":\"offer\",\"to\":" + MiniJson.quote(slowIds[i][m])
                                + ",\"payload\":{\"slow\":";
                    }
                }
            }

            long start = System.nanoTime();
            long measuredStart = start + o.warmup().toNanos();
            measureFrom.set(measuredStart);
            long end = measuredStart + o.duration().toNanos();
            long[] sentCount = new long[n];
            long[] slowCount = new long[n];
            double[] phase = new double[n];
            for (int i = 0; i < n; i++) {
                phase[i] = (double) i / Math.max(1, n);
            }
            double[] lastTotals = {0};
            try (var p = new Progress("relay", err, () -> {
                long delivered = ledger.delivered();
                double perSec = delivered - lastTotals[0];
                lastTotals[0] = delivered;
                return String.format(java.util.Locale.ROOT,
                        "open=%d sent=%d delivered=%d (%.0f/s) dup=%d misrouted=%d errors=%d p99=%.2fms",
                        fleet.openCount(), ledger.sent(), delivered, perSec, ledger.duplicated(),
                        ledger.misrouted(), fleet.errors.total(), latency.tick());
            })) {
                long nextTick = start;
                long maxLag = 0;
                long warmupMaxLag = 0;
                boolean measuring = o.warmup().isZero();
                long cpuStart = cpuNanos();
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        break;
                    }
                    if (!measuring && now >= measuredStart) {
                        measuring = true;
                        warmupMaxLag = maxLag;
                        maxLag = 0;
                        cpuStart = cpuNanos();
                    }
                    double elapsedS = (now - start) / 1e9;
                    for (int i = 0; i < n; i++) {
                        if (mates[i].length == 0) {
                            continue;
                        }
                        long due = (long) ((elapsedS + phase[i] / o.rate()) * o.rate());
                        // Cap per tick so a stalled pacer catches up gradually instead of flooding.
                        int budget = 100;
                        WsSession s = joined.get(i);
                        while (sentCount[i] < due && budget-- > 0) {
                            long seq = sentCount[i]++;
                            int m = (int) (seq % mates[i].length);
                            String to = mates[i][m];
                            ledger.sent(s.peerId(), to);
                            s.send(prefixes[i][m] + seq + ",\"ts\":" + System.nanoTime() + pad + "}}", to);
                        }
                        int slowMates = slowIds[i].length;
                        if (slowMates > 0) {
                            double slowRate = o.slow().rate() * slowMates;
                            long slowDue = (long) ((elapsedS + phase[i] / slowRate) * slowRate);
                            while (slowCount[i] < slowDue && budget-- > 0) {
                                long seq = slowCount[i]++;
                                int m = (int) (seq % slowMates);
                                if (!left.contains(slowIds[i][m])) {
                                    slowSent.increment();
                                    s.send(slowPrefixes[i][m] + seq + slowSuffix, null);
                                }
                            }
                        }
                    }
                    nextTick += TICK_NANOS;
                    long wait = nextTick - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else {
                        maxLag = Math.max(maxLag, -wait);
                        nextTick = System.nanoTime();
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
                long sendEnd = System.nanoTime();
                // Grace: stop as soon as every relay arrived, else at the grace bound.
                long graceEnd = sendEnd + o.grace().toNanos();
                while (System.nanoTime() < graceEnd && ledger.lost() > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                double seconds = (sendEnd - measuredStart) / 1e9;
                var m = new LinkedHashMap<String, Object>();
                m.put("mode", "relay");
                m.put("url", o.url().toString());
                if (o.url2() != null) {
                    m.put("url2", o.url2().toString());
                }
                m.put("client", o.client());
                m.put("protocol", o.protocol());
                m.putAll(connectStats);
                m.put("roomSize", o.roomSize());
                m.put("ratePerConnection", o.rate());
                m.put("payloadBytes", o.payloadBytes());
                m.put("warmupS", o.warmup().toMillis() / 1e3);
                m.put("durationS", seconds);
                // The checks below cover every relay, warm-up included; the rates only the measured ones.
                m.put("sent", ledger.sent());
                m.put("delivered", ledger.delivered());
                m.put("warmupDelivered", ledger.delivered() - measuredDelivered.sum());
                m.put("deliveredPerSec", measuredDelivered.sum() / seconds);
                long lost = ledger.lost();
                m.put("lost", lost);
                m.put("misrouted", ledger.misrouted());
                m.put("duplicated", ledger.duplicated());
                m.put("reordered", ledger.reordered());
                m.put("sendFailed", ledger.sendFailed());
                m.put("malformed", malformed.sum());
                m.put("peerLeft", peerLeft.sum());
                m.put("stillOpen", fleet.openCount());
                m.put("goaway", goaway.sum());
                m.put("closeCodes", closeCodes(fleet.sessions));
                m.put("errors", fleet.errors.snapshot());
                m.put("latency", latency.summary());
                if (slow.any()) {
                    m.put("slowConsumers", slowSummary(slow, slowJoined, slowConnectStats,
                            slowSent.sum(), slowReceived));
                }
                if (o.v11()) {
                    m.put("resume", fleet.resumeStats.summary());
                }
                // Client health: a late pacer or a busy client CPU means the figures measure the tool.
                m.put("pacerMaxLagMs", maxLag / 1e6);
                m.put("warmupPacerMaxLagMs", warmupMaxLag / 1e6);
                long cpu = cpuNanos() - cpuStart;
                m.put("clientCpuSeconds", cpu < 0 ? null : cpu / 1e9);
                boolean ok = lost == 0 && ledger.misrouted() == 0 && ledger.duplicated() == 0
                        && ledger.reordered() == 0 && malformed.sum() == 0 && ledger.delivered() > 0
                        && fleet.connectFailures.get() == 0 && fleet.joinFailures == 0
                        && slowJoined.size() == slow.count()
                        && (!o.v11() || fleet.resumeStats.ok());
                m.put("ok", ok);
                return new Outcome(m, ok);
            }
        } finally {
            if (slowFleet != null) {
                slowFleet.close();
            }
        }
    }

    /**
     * What became of the slow consumers. They cannot see a close while they do not read, so they
     * read again now: whatever the server still had for them arrives, then its close frame, a
     * drop or nothing. {@code closedByServer} counts those whose socket then ended within
     * {@link #SLOW_CHECK_NANOS}; {@code closeCodes} says how ("none": ended without a close frame
     * reaching the client, e.g. aborted behind a full buffer; still-open sockets are
     * {@code stillOpen}).
     */
    private static Map<String, Object> slowSummary(Options.SlowConsumers slow, List<WsSession> slowJoined,
            Map<String, Object> connectStats, long sent, AtomicIntegerArray received) {
        long receivedBeforeCheck = 0;
        for (int i = 0; i < received.length(); i++) {
            receivedBeforeCheck += received.get(i);
        }
        var closing = new ArrayList<CompletableFuture<Void>>();
        for (WsSession s : slowJoined) {
            s.resumeReading();
            closing.add(s.closedFuture);
        }
        Fleet.await(CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)),
                System.nanoTime() + SLOW_CHECK_NANOS);
        int closed = 0;
        var ended = new ArrayList<WsSession>();
        for (WsSession s : slowJoined) {
            if (s.closedFuture.isDone()) {
                closed++;
                ended.add(s);
            }
        }
        var m = new LinkedHashMap<String, Object>(connectStats);
        m.put("stopReadingAfter", slow.after());
        m.put("ratePerFastMember", slow.rate());
        m.put("payloadBytes", slow.payloadBytes());
        m.put("receiveBufferBytes", SLOW_RECEIVE_BUFFER_BYTES);
        m.put("relaysSentToThem", sent);
        m.put("relaysReadBeforeCheck", receivedBeforeCheck);
        m.put("closedByServer", closed);
        m.put("closeCodes", closeCodes(ended));
        m.put("stillOpen", slowJoined.size() - closed);
        return m;
    }

    private static void onRelay(WsSession s, Map<String, String> msg, RelayLedger ledger, Latency latency,
            LongAdder malformed, long measureFrom, LongAdder measuredDelivered) {
        // Taken by the transport as the message arrived (on the nio client, on its selector thread
        // as the last frame was parsed), not here after the JSON work.
        long now = s.receivedNanos();
        String payload = msg.get("payload");
        long seq;
        long ts;
        try {
            var p = MiniJson.parseObject(payload == null ? "" : payload);
            seq = MiniJson.number(p, "seq", -1);
            ts = MiniJson.number(p, "ts", Long.MIN_VALUE);
        } catch (IllegalArgumentException e) {
            malformed.increment();
            return;
        }
        if (seq < 0 || ts == Long.MIN_VALUE) {
            malformed.increment();
            return;
        }
        var verdict = ledger.received(s.peerId(), MiniJson.string(msg, "from"), MiniJson.string(msg, "to"), seq);
        if ((verdict == RelayLedger.Verdict.DELIVERED || verdict == RelayLedger.Verdict.REORDERED) && ts >= measureFrom) {
            latency.record(now - ts);
            measuredDelivered.increment();
        }
    }

    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(Long.MIN_VALUE);
    }

    static String padding(int payloadBytes) {
        // The fixed part of a relay is about 110 bytes; pad the payload up to the requested size.
        int padLength = Math.max(0, payloadBytes - 110);
        return padLength == 0 ? "" : ",\"pad\":\"" + "x".repeat(padLength) + "\"";
    }

    static Map<String, Object> connectStats(Options o, Fleet fleet, int joined) {
        return connectStats(o.connections(), fleet, joined);
    }

    static Map<String, Object> connectStats(int connections, Fleet fleet, int joined) {
        var m = new LinkedHashMap<String, Object>();
        m.put("connections", connections);
        m.put("opened", fleet.sessions.size());
        m.put("connectFailures", fleet.connectFailures.get());
        m.put("joined", joined);
        m.put("joinFailures", fleet.joinFailures);
        if (fleet.firstFailure.get() != null) {
            m.put("firstFailure", fleet.firstFailure.get());
        }
        return m;
    }

    /** How many sessions the server closed with each close code ("none": still open or dropped without one). */
    static Map<String, Integer> closeCodes(Iterable<WsSession> sessions) {
        var codes = new java.util.TreeMap<String, Integer>();
        for (WsSession s : sessions) {
            codes.merge(s.closeCode() < 0 ? "none" : Integer.toString(s.closeCode()), 1, Integer::sum);
        }
        return codes;
    }
}
