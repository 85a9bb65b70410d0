package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hold mode: opens N sockets, joins them to rooms of K, holds them idle for the duration, then
 * checks each is still open and still answers a {@code ping}. With {@code --pid} it reads the
 * server's RSS before connecting and at the end of the hold, and reports growth per connection.
 */
final class HoldMode {

    private static final String PING_ID = "lt-hold";

    private HoldMode() {
    }

    static Outcome run(Options o, PrintStream err) throws InterruptedException {
        long rssBefore = o.pid() == null ? -1 : ProcStats.kib(o.pid());
        var pongs = new ConcurrentHashMap<Integer, CompletableFuture<Void>>();
        var peerLeft = new ConcurrentHashMap<Integer, Integer>();
        var goaway = new java.util.concurrent.atomic.LongAdder();
        WsSession.Handler handler = (s, type, msg, raw) -> {
            if ("peer-left".equals(type)) {
                peerLeft.merge(s.index, 1, Integer::sum);
            } else if ("goaway".equals(type)) {
                goaway.increment();
            }
            if ("pong".equals(type) && PING_ID.equals(MiniJson.string(msg, "id"))) {
                var f = pongs.get(s.index);
                if (f != null) {
                    f.complete(null);
                }
            }
        };
        try (var fleet = new Fleet(o.client().equals("nio"), o.v11())) {
            long connectDeadline = System.nanoTime() + o.connectTimeout().toNanos();
            List<WsSession> held;
            long setUpStart = System.nanoTime();
            long cpuBefore = o.pid() == null ? -1 : ProcStats.cpuNanos(o.pid());
            try (var p = new Progress("hold", err, () -> "connecting: open=" + fleet.sessions.size()
                    + " in-flight=" + fleet.opening.get() + " failed=" + fleet.connectFailures.get()
                    + " joined=" + fleet.joinedCount.get())) {
                fleet.open(o.url(), o.connections(), o.concurrency(), connectDeadline, i -> handler);
                held = !o.join() ? List.copyOf(fleet.sessions) : o.roomPrefix() == null
                        ? fleet.join(o.roomSize(), connectDeadline) : fleet.join(o.roomSize(), connectDeadline, o.roomPrefix());
            }
            // Upgrade, welcome and (with --join) joined for every socket: what a reconnect storm costs.
            double setUpSeconds = (System.nanoTime() - setUpStart) / 1e9;
            long cpuAfter = o.pid() == null ? -1 : ProcStats.cpuNanos(o.pid());
            long setUpCpuNanos = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
            long rssAfterJoin = o.pid() == null ? -1 : ProcStats.kib(o.pid());
            int atStart = countOpen(held);
            long end = System.nanoTime() + o.duration().toNanos();
            try (var p = new Progress("hold", err, () -> "holding: open=" + countOpen(held) + "/" + atStart
                    + (o.pid() == null ? "" : " rssKiB=" + ProcStats.kib(o.pid())))) {
                while (System.nanoTime() < end) {
                    LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(100), end - System.nanoTime()));
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            }
            long rssEnd = o.pid() == null ? -1 : ProcStats.kib(o.pid());
            int stillOpen = countOpen(held);

            // "Stayed up" is not enough: each socket must still be served.
            int responsive = 0;
            if (o.join()) {
                for (WsSession s : held) {
                    if (s.isOpen()) {
                        pongs.put(s.index, new CompletableFuture<>());
                        s.send("{\"type\":\"ping\",\"id\":\"" + PING_ID + "\"}");
                    }
                }
                long pongDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (var f : pongs.values()) {
                    if (Fleet.await(f, pongDeadline)) {
                        responsive++;
                    }
                }
            }

            var m = new LinkedHashMap<String, Object>();
            m.put("mode", "hold");
            m.put("url", o.url().toString());
            m.put("protocol", o.protocol());
            m.putAll(RelayMode.connectStats(o, fleet, o.join() ? held.size() : 0));
            m.put("roomSize", o.join() ? o.roomSize() : 0);
            m.put("setUpSeconds", Math.round(setUpSeconds * 1000) / 1000.0);
            m.put("setUpsPerSec", Math.round(fleet.sessions.size() / setUpSeconds));
            if (setUpCpuNanos >= 0) {
                // The server's cost per set-up, whichever side was at its core's limit.
                m.put("setUpServerCpuSeconds", Math.round(setUpCpuNanos / 1e6) / 1000.0);
                m.put("serverCpuMicrosPerSetUp", fleet.sessions.isEmpty() ? null
                        : Math.round(setUpCpuNanos / 1e3 / fleet.sessions.size()));
            }
            m.put("durationS", o.duration().toMillis() / 1000.0);
            m.put("openAtStart", atStart);
            m.put("stillOpen", stillOpen);
            m.put("dropped", atStart - stillOpen);
            if (o.join()) {
                m.put("responsive", responsive);
            }
            m.put("errors", fleet.errors.snapshot());
            // Room-mates that left (or were killed): with --room-prefix shared with another process,
            // each socket whose mate went away must have seen exactly one peer-left.
            m.put("peerLeft", peerLeft.values().stream().mapToInt(Integer::intValue).sum());
            m.put("socketsWithPeerLeft", peerLeft.size());
            m.put("maxPeerLeftPerSocket", peerLeft.values().stream().mapToInt(Integer::intValue).max().orElse(0));
            m.put("goaway", goaway.sum());
            m.put("closeCodes", RelayMode.closeCodes(held));
            if (o.pid() != null) {
                m.put("rss", rss(o.pid(), rssBefore, rssAfterJoin, rssEnd, stillOpen));
            }
            if (o.v11()) {
                m.put("resume", fleet.resumeStats.summary());
            }
            boolean ok = fleet.connectFailures.get() == 0 && fleet.joinFailures == 0 && atStart == o.connections()
                    && stillOpen == atStart && (!o.join() || responsive == stillOpen)
                    && (!o.v11() || fleet.resumeStats.ok());
            m.put("ok", ok);
            return new Outcome(m, ok);
        }
    }

    private static Map<String, Object> rss(long pid, long before, long afterJoin, long end, int open) {
        var m = new LinkedHashMap<String, Object>();
        m.put("pid", pid);
        m.put("beforeKiB", before);
        m.put("afterJoinKiB", afterJoin);
        m.put("endKiB", end);
        if (before > 0 && end > 0 && open > 0) {
            m.put("growthPerConnectionBytes", (end - before) * 1024.0 / open);
        } else {
            m.put("growthPerConnectionBytes", null);
        }
        return m;
    }

    private static int countOpen(List<WsSession> sessions) {
        int n = 0;
        for (WsSession s : sessions) {
            if (s.isOpen()) {
                n++;
            }
        }
        return n;
    }
}
