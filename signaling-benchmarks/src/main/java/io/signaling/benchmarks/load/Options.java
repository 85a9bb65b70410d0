package io.signaling.benchmarks.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parsed and validated command line of the load tool. Immutable. */
record Options(
        String mode,
        URI url,
        int connections,
        int roomSize,
        double rate,
        Duration duration,
        int payloadBytes,
        Long pid,
        boolean allowRemote,
        int concurrency,
        Duration grace,
        Duration connectTimeout,
        String style,
        boolean join,
        String client,
        String roomPrefix,
        String protocol,
        URI url2,
        Duration warmup,
        SlowConsumers slow) {

    /**
     * Relay mode's slow consumers ({@code --slow-consumers S}): S more sockets, spread over the
     * rooms, that stop reading after {@code after} relays; each fast member of a room sends each of
     * its room's slow consumers {@code rate} relays a second of {@code payloadBytes}. {@code count}
     * 0: none.
     */
    record SlowConsumers(int count, int after, double rate, int payloadBytes) {
        static final SlowConsumers NONE = new SlowConsumers(0, 0, 0, 0);

        boolean any() {
            return count > 0;
        }
    }

    static final Set<String> MODES = Set.of("hold", "relay", "echo", "http");
    private static final Set<String> FLAGS = Set.of("--allow-remote", "--no-join");
    private static final Set<String> VALUED = Set.of("--url", "--connections", "--room-size", "--rate",
            "--duration", "--payload-bytes", "--pid", "--concurrency", "--grace", "--connect-timeout", "--style",
            "--client", "--room-prefix", "--protocol", "--url2", "--warmup", "--slow-consumers", "--slow-after",
            "--slow-rate", "--slow-payload-bytes");

    static final String USAGE = """
            usage: java -jar signaling-load.jar MODE --url URL [options]
              hold   --url ws://127.0.0.1:8080/ws --connections N --room-size K --duration T [--pid PID] [--no-join]
                     [--client nio|jdk] (as in relay; setUpSeconds times opening and joining them all)
              relay  --url ws://127.0.0.1:8080/ws --connections N --room-size K --rate M --duration T [--payload-bytes B] [--grace T]
                     [--client nio|jdk] (nio, default: one selector thread for every socket;
                                         jdk: the JDK HttpClient WebSocket)
                     [--warmup T] (default 3s: relays sent in the first T are checked like every
                                         other but left out of the latency histogram, deliveredPerSec,
                                         pacerMaxLagMs and clientCpuSeconds; --duration is measured
                                         after it; 0: none)
                     [--url2 ws://127.0.0.1:8081/ws] (every second socket connects here instead:
                                         room-mates on two nodes of a cluster)
                     [--slow-consumers S [--slow-after N] [--slow-rate M2] [--slow-payload-bytes B2]]
                                        (S more sockets, on their own nio selector with a 4 KiB receive
                                         buffer, join the rooms round-robin and stop reading after N
                                         relays (default 0: once joined); each fast member of a room
                                         sends each slow one M2 relays/s (default M) of B2 bytes
                                         (default B), not counted in the fast figures; the summary
                                         gains "slowConsumers": who the server closed, and how)
              echo   --url ws://127.0.0.1:8080/ws --connections N --payload-bytes B --duration T
                     [--style echo|ping|relay] (echo: raw text echoed; ping: the contract's ping/pong;
                                         relay: rooms of two, each socket keeps one offer in flight
                                         that its mate relays straight back as an answer)
                     [--client nio|blocking] (nio, default: every loop on one selector thread,
                                         the next message sent from the reply's callback;
                                         blocking: one thread per socket; no relay style)
                     [--warmup T] (nio only, default 3s: round trips begun in it are checked, not timed)
                     [--pid PID] (nio only, the server's process on this host: its CPU time over the
                                         measured part, and round trips (relays) per CPU second of it)
              http   --url http://127.0.0.1:8080/health/live --connections C --duration T
            common: --allow-remote (targets other than 127.0.0.0/8, ::1, localhost)
                    --concurrency H (WebSocket handshakes in flight, default 128)
                    --connect-timeout T (bound on opening and joining, default 60s)
                    --room-prefix P (hold, relay: rooms P-0, P-1, ... instead of a random prefix, so that
                                     two processes share rooms, e.g. to watch one's sockets being killed)
                    --protocol v1|v1.1 (hold, relay; default v1. v1.1 asks for the subprotocol signaling.v1.1,
                                     numbers its messages, checks the server's seq, and when a socket drops
                                     (or a draining node closes it after goaway) resumes the session with
                                     resume=<token>&lastSeq=<n> within the resume window, sending again what
                                     the server had not processed; the summary gains "resume"; with --url2
                                     a resume that cannot reach its own node goes to the other one)
            durations: 10 (seconds), 10s, 500ms, 2m. Progress goes to stderr every second,
            the JSON summary to stdout. Exit 0 ok, 1 a check failed, 2 usage error.""";

    static Options parse(String[] args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no mode given");
        }
        String mode = args[0];
        if (!MODES.contains(mode)) {
            throw new UsageException("unknown mode '" + mode + "' (expected one of hold, relay, echo, http)");
        }
        Map<String, String> values = new HashMap<>();
        boolean allowRemote = false;
        boolean join = true;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                if (name.equals("--allow-remote")) {
                    allowRemote = true;
                } else {
                    join = false;
                }
                continue;
            }
            if (!VALUED.contains(name)) {
                throw new UsageException("unknown option '" + arg + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            if (values.put(name, value) != null) {
                throw new UsageException(name + " given twice");
            }
        }
        String rawUrl = values.get("--url");
        if (rawUrl == null) {
            throw new UsageException("--url is required");
        }
        URI url;
        try {
            url = new URI(rawUrl);
        } catch (URISyntaxException e) {
            throw new UsageException("--url is not a URL: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        boolean http = mode.equals("http");
        if (http && !scheme.equals("http")) {
            throw new UsageException("http mode needs an http:// URL (no TLS; use wrk for https), got '" + rawUrl + "'");
        }
        if (!http && !scheme.equals("ws") && !scheme.equals("wss")) {
            throw new UsageException(mode + " mode needs a ws:// or wss:// URL, got '" + rawUrl + "'");
        }
        LoopbackGuard.check(url, allowRemote);

        int connections = intValue(values, "--connections", http ? 64 : 100, 1, 1_000_000);
        int roomSize = intValue(values, "--room-size", 2, 1, 16);
        double rate = doubleValue(values, "--rate", 10, 0.001, 10_000);
        Duration duration = duration(values, "--duration", Duration.ofSeconds(10));
        int payloadBytes = intValue(values, "--payload-bytes", mode.equals("echo") ? 200 : 0, 0, 60_000);
        Long pid = values.containsKey("--pid") ? (long) intValue(values, "--pid", 0, 1, Integer.MAX_VALUE) : null;
        int concurrency = intValue(values, "--concurrency", 128, 1, 100_000);
        Duration grace = duration(values, "--grace", Duration.ofSeconds(3));
        Duration connectTimeout = duration(values, "--connect-timeout", Duration.ofSeconds(60));
        String style = values.getOrDefault("--style", "echo");
        if (!style.equals("echo") && !style.equals("ping") && !style.equals("relay")) {
            throw new UsageException("--style must be 'echo' (raw text echo), 'ping' (contract ping/pong) or 'relay'"
                    + " (closed-loop relay in rooms of two), got '" + style + "'");
        }
        if (values.containsKey("--style") && !mode.equals("echo")) {
            throw new UsageException("--style applies to echo mode only");
        }
        // nio by default: it needs ~40% of a pinned core where jdk needs ~70% (docs/performance.md);
        // its first seconds are its own JIT's, which the warm-up keeps out of the figures. Echo's
        // other client is the thread-per-socket blocking one.
        String client = values.getOrDefault("--client", "nio");
        if ((mode.equals("relay") || mode.equals("hold")) && !client.equals("nio") && !client.equals("jdk")) {
            throw new UsageException("--client must be 'nio' or 'jdk', got '" + client + "'");
        }
        if (mode.equals("echo") && !client.equals("nio") && !client.equals("blocking")) {
            throw new UsageException("--client must be 'nio' or 'blocking' in echo mode, got '" + client + "'");
        }
        if (values.containsKey("--client") && mode.equals("http")) {
            throw new UsageException("--client applies to hold, relay and echo modes only");
        }
        boolean closedLoop = mode.equals("echo") && client.equals("nio");
        if (style.equals("relay") && !closedLoop) {
            throw new UsageException("--style relay needs the nio client");
        }
        if (style.equals("relay") && (connections % 2 != 0 || roomSize != 2)) {
            throw new UsageException("--style relay pairs the sockets in rooms of two: --connections must be even"
                    + " and --room-size 2");
        }
        if (mode.equals("relay") && roomSize < 2) {
            throw new UsageException("relay mode needs --room-size of at least 2 (someone to relay to)");
        }
        if (mode.equals("relay") && connections < roomSize) {
            throw new UsageException("relay mode needs --connections >= --room-size");
        }
        if (mode.equals("relay") && !join) {
            throw new UsageException("relay mode needs rooms; --no-join does not apply");
        }
        if (pid != null && !mode.equals("hold") && !closedLoop) {
            throw new UsageException("--pid applies to hold mode and to echo on the nio client only");
        }
        String roomPrefix = values.get("--room-prefix");
        if (roomPrefix != null && !roomPrefix.matches("[A-Za-z0-9_-]{1,40}")) {
            throw new UsageException("--room-prefix must be 1-40 characters of [A-Za-z0-9_-], got '" + roomPrefix + "'");
        }
        String protocol = values.getOrDefault("--protocol", "v1");
        if (!protocol.equals("v1") && !protocol.equals("v1.1")) {
            throw new UsageException("--protocol must be 'v1' or 'v1.1', got '" + protocol + "'");
        }
        if (values.containsKey("--protocol") && !mode.equals("relay") && !mode.equals("hold")) {
            throw new UsageException("--protocol applies to hold and relay modes only");
        }
        Duration warmup = Duration.ZERO;
        if (mode.equals("relay") || closedLoop) {
            String raw = values.getOrDefault("--warmup", "3s");
            warmup = raw.trim().equals("0") ? Duration.ZERO : duration(values, "--warmup", Duration.ofSeconds(3));
        } else if (values.containsKey("--warmup")) {
            throw new UsageException("--warmup applies to relay mode and to echo on the nio client only");
        }
        URI url2 = null;
        if (values.containsKey("--url2")) {
            if (!mode.equals("relay")) {
                throw new UsageException("--url2 applies to relay mode only");
            }
            try {
                url2 = new URI(values.get("--url2"));
            } catch (URISyntaxException e) {
                throw new UsageException("--url2 is not a URL: " + e.getMessage());
            }
            String scheme2 = url2.getScheme() == null ? "" : url2.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme2.equals("ws") && !scheme2.equals("wss")) {
                throw new UsageException("--url2 needs a ws:// or wss:// URL, got '" + values.get("--url2") + "'");
            }
            LoopbackGuard.check(url2, allowRemote);
        }
        SlowConsumers slow = SlowConsumers.NONE;
        if (values.containsKey("--slow-consumers")) {
            if (!mode.equals("relay")) {
                throw new UsageException("--slow-consumers applies to relay mode only");
            }
            if (!protocol.equals("v1")) {
                throw new UsageException("--slow-consumers needs --protocol v1 (a v1.1 session would resume, not stay slow)");
            }
            slow = new SlowConsumers(intValue(values, "--slow-consumers", 0, 1, 100_000),
                    intValue(values, "--slow-after", 0, 0, 1_000_000),
                    doubleValue(values, "--slow-rate", rate, 0.001, 10_000),
                    intValue(values, "--slow-payload-bytes", payloadBytes, 0, 60_000));
        } else {
            for (String name : new String[] {"--slow-after", "--slow-rate", "--slow-payload-bytes"}) {
                if (values.containsKey(name)) {
                    throw new UsageException(name + " needs --slow-consumers");
                }
            }
        }
        return new Options(mode, url, connections, roomSize, rate, duration, payloadBytes, pid, allowRemote,
                concurrency, grace, connectTimeout, style, join, client, roomPrefix, protocol, url2, warmup, slow);
    }

    /** Whether the sessions speak v1.1 (and resume). */
    boolean v11() {
        return protocol.equals("v1.1");
    }

    private static int intValue(Map<String, String> values, String name, int fallback, int min, int max)
            throws UsageException {
        String raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.replace("_", ""));
            if (v < min || v > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got '" + raw + "'");
        }
    }

    private static double doubleValue(Map<String, String> values, String name, double fallback, double min,
            double max) throws UsageException {
        String raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(raw);
            if (!(v >= min && v <= max)) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", got " + raw);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, got '" + raw + "'");
        }
    }

    static Duration duration(Map<String, String> values, String name, Duration fallback) throws UsageException {
        String raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        String s = raw.trim().toLowerCase(Locale.ROOT);
        long unitMillis = 1000;
        if (s.endsWith("ms")) {
            unitMillis = 1;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unitMillis = 60_000;
            s = s.substring(0, s.length() - 1);
        }
        try {
            double v = Double.parseDouble(s);
            long millis = Math.round(v * unitMillis);
            if (!(v > 0) || millis <= 0 || millis > Duration.ofDays(1).toMillis()) {
                throw new UsageException(name + " must be positive and at most a day, got '" + raw + "'");
            }
            return Duration.ofMillis(millis);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a duration like 10, 10s, 500ms or 2m, got '" + raw + "'");
        }
    }
}
