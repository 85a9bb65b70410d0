package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.http.Problem;
import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.SendFailedException;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.xnio.Options;

/**
 * What every Undertow WebSocket flavour shares, so that the JSR and native adapters admit, count,
 * trace, log and drain connections identically: SPI support for the adapter modules, not an API
 * for applications.
 *
 * <p>A {@link ManagedEndpoint} owns one instance. Its front handler calls {@link #admit} (which
 * answers refused upgrades itself with {@code application/problem+json}: 426 not an upgrade, 503
 * not running, draining or full, 403 origin not allowed, 429 the client's address holds its
 * maximum, and what the listener's {@link WebSocketListener#onUpgrade} refuses, e.g. 401 for a bad
 * access token: {@link UpgradeGate}) and {@link #handshake} before handing the
 * upgrade to its Undertow API; once the socket is open the flavour calls {@link #connect} and
 * {@link #register}; {@code stop} calls {@link #drain}. It hands each connection the collaborators
 * it needs when building it; nothing reaches back through it.
 *
 * <p>Thread-safety: safe from any thread.
 */
public final class EndpointSupport {

    private static final int ID_BYTES = 16; // 128 bits
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** What the front handler learnt about an upgrade: its headers (lower-case names) and trace parent. */
    public record Handshake(Map<String, List<String>> headers, TraceContext context, long createdNanos,
                            AccessGrant grant, Map<String, List<String>> query) {
        public Handshake {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(context, "context");
            query = query == null ? Map.of() : query;
        }

        public Handshake(Map<String, List<String>> headers, TraceContext context, long createdNanos,
                         AccessGrant grant) {
            this(headers, context, createdNanos, grant, Map.of());
        }

        /** @see #grant() {@code null}: nothing granted (no authentication) */
        public Handshake(Map<String, List<String>> headers, TraceContext context, long createdNanos) {
            this(headers, context, createdNanos, null);
        }

        /** For an upgrade whose handshake was not captured (it should not happen): no headers, no parent. */
        public static Handshake unknown() {
            return new Handshake(Map.of(), TraceContext.invalid(), System.nanoTime());
        }
    }

    private final WebSocketSettings settings;
    private final WebSocketListener listener;
    private final Logger log;
    private final Tracer tracer;
    private final UndertowConnectionHub hub;
    private final WebSocketTelemetry telemetry;
    private final Set<String> allowedOrigins;
    private final ConnectionsPerAddress perAddress;
    private final UpgradeGate gate;
    private final SecureRandom random = new SecureRandom();
    private final Set<ManagedConnection> live = ConcurrentHashMap.newKeySet();
    private final Object liveMonitor = new Object();
    private volatile boolean running;
    private volatile boolean accepting;

    /**
     * Validates the settings: a non-positive limit or timeout, or a malformed path, throws
     * {@link IllegalArgumentException} naming the configuration key.
     *
     * @param log the endpoint's logger; each connection's lines add {@code connection_id}
     * @param hub the endpoint's open connections, which this admits into and counts
     */
    public EndpointSupport(WebSocketSettings settings, WebSocketListener listener, Logger log, Tracer tracer,
                           WebSocketTelemetry telemetry, UndertowConnectionHub hub) {
        this.settings = validate(settings);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.log = Objects.requireNonNull(log, "log");
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.hub = Objects.requireNonNull(hub, "hub");
        Set<String> origins = new HashSet<>();
        for (String origin : settings.allowedOrigins()) {
            origins.add(normalizeOrigin(origin));
        }
        this.allowedOrigins = Set.copyOf(origins);
        this.perAddress = new ConnectionsPerAddress(settings.maxConnectionsPerAddress(), settings.trustedProxies());
        this.gate = new UpgradeGate(listener, telemetry, log);
    }

    /** Checks the settings, naming the configuration key of the first bad value. */
    public static WebSocketSettings validate(WebSocketSettings settings) {
        Objects.requireNonNull(settings, "settings");
        String path = settings.path();
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("{")) {
            throw new IllegalArgumentException("websocket.path must be an absolute path without a trailing slash or"
                    + " template, e.g. /ws; got '" + path + "'");
        }
        requirePositive("websocket.max-message-size", settings.maxMessageBytes());
        requirePositive("websocket.send-queue-messages", settings.sendQueueMessages());
        requirePositive("websocket.send-queue-bytes", settings.sendQueueBytes());
        requirePositive("websocket.max-connections", settings.maxConnections());
        new ConnectionsPerAddress(settings.maxConnectionsPerAddress(), settings.trustedProxies());
        requirePositive("websocket.idle-timeout", settings.idleTimeout());
        requirePositive("websocket.ping-interval", settings.pingInterval());
        requirePositive("websocket.send-timeout", settings.sendTimeout());
        if (!(settings.messageSpanRatio() >= 0.0 && settings.messageSpanRatio() <= 1.0)) {
            throw new IllegalArgumentException("websocket.message-span-ratio must be in [0, 1], got "
                    + settings.messageSpanRatio());
        }
        for (String origin : settings.allowedOrigins()) {
            if (origin == null || origin.isBlank()) {
                throw new IllegalArgumentException("websocket.allowed-origins contains a blank entry");
            }
        }
        return settings;
    }

    private static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    private static String normalizeOrigin(String origin) {
        String trimmed = origin.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- accepting

    /** The endpoint's transport is ready: upgrades are accepted from now on. */
    public void started() {
        running = true;
        accepting = true;
        log.debug("websocket endpoint started", "path", settings.path(), "max_connections", settings.maxConnections());
    }

    /** From now on, upgrades get 503; open connections are left alone. Idempotent. */
    public void stopAccepting() {
        accepting = false;
    }

    public boolean isAccepting() {
        return accepting;
    }

    // ---------------------------------------------------------------- admission (I/O thread)

    /**
     * Decides an upgrade request before any WebSocket work is done. When refused, the response
     * (problem+json) has been sent and the refusal counted; the caller must not touch the exchange.
     */
    public boolean admit(HttpServerExchange exchange) {
        return passesChecks(exchange) && gate.admit(exchange, headersOf(exchange), queryOf(exchange));
    }

    /**
     * {@link #admit} and {@link #handshake} in one, copying the upgrade's headers and query once
     * for both the listener's check and the connection: the handshake of an admitted upgrade, or
     * null when it was refused (and answered).
     */
    public Handshake admitAndHandshake(HttpServerExchange exchange) {
        if (!passesChecks(exchange)) {
            return null;
        }
        Map<String, List<String>> headers = headersOf(exchange);
        Map<String, List<String>> query = queryOf(exchange);
        return gate.admit(exchange, headers, query) ? handshake(exchange, headers, query) : null;
    }

    /** The checks before the listener's gate; false when refused (and answered). */
    private boolean passesChecks(HttpServerExchange exchange) {
        if (!running) {
            telemetry.rejected(WebSocketTelemetry.REJECT_DRAINING);
            problem(exchange, 503, "the WebSocket endpoint is not running");
            return false;
        }
        if (!isUpgrade(exchange)) {
            exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            problem(exchange, 426, "this path only accepts WebSocket upgrades (GET with Upgrade: websocket)");
            return false;
        }
        if (!accepting) {
            telemetry.rejected(WebSocketTelemetry.REJECT_DRAINING);
            problem(exchange, 503, "the server is shutting down and accepts no new WebSocket connections");
            return false;
        }
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        // No Origin header means no browser: the allow-list guards against cross-site browser pages.
        if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(normalizeOrigin(origin))) {
            telemetry.rejected(WebSocketTelemetry.REJECT_ORIGIN);
            log.info("websocket upgrade refused: origin not allowed", "origin", origin);
            problem(exchange, 403, "origin '" + origin + "' is not allowed to open WebSocket connections");
            return false;
        }
        if (hub.count() >= settings.maxConnections()) {
            telemetry.rejected(WebSocketTelemetry.REJECT_CAPACITY);
            problem(exchange, 503, "this node holds its maximum of " + settings.maxConnections()
                    + " WebSocket connections; retry later or elsewhere");
            return false;
        }
        // Before the listener's gate (token checks): a crowded address costs no verification. A slot
        // taken here is given back when the connection closes, also when the gate refuses.
        String crowded = perAddress.tryAcquire(exchange);
        if (crowded != null) {
            telemetry.rejected(WebSocketTelemetry.REJECT_ADDRESS);
            log.info("websocket upgrade refused: too many connections from one address", "client", crowded,
                    "limit", perAddress.limit());
            problem(exchange, 429, "address " + crowded + " holds its maximum of " + perAddress.limit()
                    + " WebSocket connections; close one or retry later");
            return false;
        }
        return true;
    }

    /** The subprotocols the listener speaks, most preferred first, for the transport's handshake to select from. */
    public List<String> subprotocols() {
        return listener.subprotocols();
    }

    private static boolean isUpgrade(HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        return Methods.GET.equals(exchange.getRequestMethod()) && upgrade != null
                && upgrade.equalsIgnoreCase("websocket");
    }

    /** The upgrade's headers and trace parent (the current span, else the request's traceparent). */
    public Handshake handshake(HttpServerExchange exchange) {
        return handshake(exchange, headersOf(exchange), queryOf(exchange));
    }

    /**
     * The propagation carrier is only built when no span is current (behind the standard
     * middleware one always is: the upgrade's server span).
     */
    private Handshake handshake(HttpServerExchange exchange, Map<String, List<String>> headers,
                                Map<String, List<String>> query) {
        TraceContext context = tracer.current();
        if (!context.isValid()) {
            Map<String, String> carrier = new HashMap<>();
            headers.forEach((name, values) -> carrier.put(name, values.isEmpty() ? null : values.get(0)));
            context = tracer.extract(carrier);
        }
        return new Handshake(headers, context, System.nanoTime(), exchange.getAttachment(UpgradeGate.GRANT), query);
    }

    /**
     * The request's headers, names in lower case, as one immutable map: each header's values are
     * copied once, straight into their immutable list. The connection keeps it for its lifetime,
     * so it is the compact immutable map rather than a hash map.
     */
    static Map<String, List<String>> headersOf(HttpServerExchange exchange) {
        HeaderMap requestHeaders = exchange.getRequestHeaders();
        Map<String, List<String>> headers = new HashMap<>(Math.max(4, requestHeaders.size() * 4 / 3 + 1));
        for (HeaderValues values : requestHeaders) {
            String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
            List<String> copy = values.size() == 1 ? List.of(values.getFirst()) : List.copyOf(values);
            // HttpString compares names case-insensitively, so a name comes once; merge all the same.
            List<String> earlier = headers.putIfAbsent(name, copy);
            if (earlier != null) {
                List<String> both = new java.util.ArrayList<>(earlier);
                both.addAll(copy);
                headers.put(name, List.copyOf(both));
            }
        }
        return Map.copyOf(headers);
    }

    /** The decoded query parameters, immutable; {@code Map.of()} for none. */
    static Map<String, List<String>> queryOf(HttpServerExchange exchange) {
        Map<String, java.util.Deque<String>> parameters = exchange.getQueryParameters();
        if (parameters.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> copy = new HashMap<>();
        for (Map.Entry<String, java.util.Deque<String>> e : parameters.entrySet()) {
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        return Map.copyOf(copy);
    }

    /** Answers {@code exchange} with an {@code application/problem+json} body (and Retry-After on 503). */
    public static void problem(HttpServerExchange exchange, int status, String detail) {
        Problem problem = Problem.of(status, detail, exchange.getRequestPath(), null);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Problem.CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (status == 503 || status == 429) {
            exchange.getResponseHeaders().put(HttpString.tryFromString("Retry-After"), "5");
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(problem.toJson().getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- opening (I/O thread)

    /** 128 random bits in unpadded base64url. */
    private String newConnectionId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return ID_ENCODER.encodeToString(bytes);
    }

    /**
     * A new connection around the flavour's transport: its id, its {@code websocket.open} span
     * (child of the upgrade's context) and its parts. Not live yet: the flavour installs its
     * frame handlers, then calls {@link #register}.
     */
    public ManagedConnection connect(WebSocketChannel channel, Handshake handshake, Transport.Factory transport) {
        String id = newConnectionId();
        TraceContext connectionContext = openSpan(id, handshake.context());
        capKernelSendBuffer(channel);
        ManagedConnection connection = new ManagedConnection(id, channel, handshake.headers(), connectionContext,
                connectionContext.isSampled() && withinShare(settings.messageSpanRatio()), transport, settings,
                listener, tracer, telemetry, log, hub::remove, this::finished);
        connection.admitted(handshake.grant(), handshake.query());
        return connection;
    }

    /** One draw per sampled connection: whether its messages are traced. */
    private static boolean withinShare(double ratio) {
        return ratio >= 1.0 || (ratio > 0.0 && ThreadLocalRandom.current().nextDouble() < ratio);
    }

    /**
     * Caps the socket's kernel send buffer at one largest message. Left to autotuning, Linux grows
     * a socket's send buffer up to {@code net.ipv4.tcp_wmem}'s maximum (4 MiB by default) even
     * towards a peer that reads nothing: a consumer that stopped reading was noticed only once
     * megabytes had been written to it (on loopback 2.8 MB were taken before the first write
     * stalled), and each such socket held that much of the host's memory outside the send
     * queue's bounds (docs/reliability.md, fault 3). Capped, the write in flight stalls after
     * about one message, so the queue's bounds and the send timeout decide; signaling messages are
     * small, so the cap costs no throughput that matters here.
     */
    private void capKernelSendBuffer(WebSocketChannel channel) {
        try {
            channel.setOption(Options.SEND_BUFFER, settings.maxMessageBytes());
        } catch (IOException | RuntimeException e) {
            log.debug("could not cap the socket's send buffer", e);
        }
    }

    /**
     * Records the one {@code websocket.open} span of a connection, child of the upgrade's context,
     * and returns the context its message spans link to.
     */
    private TraceContext openSpan(String connectionId, TraceContext parent) {
        Span open = (parent.isValid() ? tracer.spanBuilder("websocket.open").parent(parent)
                : tracer.spanBuilder("websocket.open"))
                .kind(SpanKind.SERVER)
                .attribute("websocket.connection.id", connectionId)
                .start();
        open.end();
        return open.context().isValid() ? open.context() : parent;
    }

    /**
     * Makes a new connection live: into the hub, counted, the listener told, timers started. A
     * connection that opened while draining, or past the limit (concurrent upgrades raced past
     * {@link #admit}), is closed at once (1001 or 1013), its listener events still paired.
     * Call from the transport's open callback, on the connection's I/O thread.
     *
     * <p>Whether it opened while draining is decided before the listener hears of it: once the
     * listener's {@code onOpen} has run (and sent, say, a welcome the client may already have
     * read), a drain starting meanwhile is the listener's to carry out (its goaway goes before the
     * 1001); closing it here as well would send 1001 without that goaway (the flaky
     * ShutdownTest: the last socket connected before the shutdown got welcome, then 1001 alone).
     */
    public void register(ManagedConnection connection) {
        live.add(connection);
        // After live.add: a socket that closes at once must still be seen finishing.
        connection.channel().addCloseTask(channel -> connection.onChannelClosed());
        hub.add(connection);
        boolean openedWhileDraining = !accepting;
        telemetry.opened();
        connection.log().debug("websocket opened", "remote", connection.remoteAddress());
        connection.opened();
        if (openedWhileDraining) {
            connection.closeLocally(CloseCodes.GOING_AWAY, "server shutting down", WebSocketTelemetry.GOING_AWAY,
                    SendFailedException.Reason.CLOSED, false);
        } else if (hub.count() > settings.maxConnections()) {
            telemetry.rejected(WebSocketTelemetry.REJECT_CAPACITY);
            connection.closeLocally(CloseCodes.TRY_AGAIN_LATER, "server at capacity", WebSocketTelemetry.CAPACITY,
                    SendFailedException.Reason.CLOSED, false);
        }
    }

    /** Both the socket and the listener's onClose are done with {@code connection}. */
    void finished(ManagedConnection connection) {
        if (live.remove(connection)) {
            synchronized (liveMonitor) {
                liveMonitor.notifyAll();
            }
        }
    }

    // ---------------------------------------------------------------- draining

    /**
     * Refuses new upgrades, closes every connection with 1001 and waits until each close has
     * completed and its listener's {@code onClose} has run; at the deadline, aborts what is left.
     *
     * @return whether every connection closed cleanly before {@code deadlineNanos} ({@link System#nanoTime()} based)
     */
    public boolean drain(long deadlineNanos) throws InterruptedException {
        running = false;
        accepting = false;
        for (ManagedConnection connection : hub.snapshot()) {
            connection.closeLocally(CloseCodes.GOING_AWAY, "server shutting down", WebSocketTelemetry.GOING_AWAY,
                    SendFailedException.Reason.CLOSED, false);
        }
        boolean clean = awaitLive(deadlineNanos);
        if (!clean) {
            log.warn("websockets did not close in time, aborting them", "remaining", live.size());
            for (ManagedConnection connection : List.copyOf(live)) {
                connection.abort();
            }
        }
        return clean;
    }

    private boolean awaitLive(long deadline) throws InterruptedException {
        synchronized (liveMonitor) {
            while (!live.isEmpty()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(liveMonitor, remaining);
            }
        }
        return true;
    }

    /** How many connections have not finished closing yet. */
    public int liveCount() {
        return live.size();
    }
}
