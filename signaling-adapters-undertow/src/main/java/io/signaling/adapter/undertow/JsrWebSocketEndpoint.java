package io.signaling.adapter.undertow;

import io.signaling.ports.http.Problem;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.SendFailedException;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletContainer;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.websockets.jsr.UndertowSession;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The Jakarta WebSocket (undertow-websockets-jsr) endpoint: a plain undertow-core handler that
 * refuses bad upgrades cheaply, in front of a servlet deployment that holds only the WebSocket
 * endpoint (no HTTP route goes through the servlet stack).
 */
final class JsrWebSocketEndpoint implements WebSocketEndpoint {

    private static final String CONNECTION_KEY = JsrWebSocketConnection.class.getName();
    private static final int ID_BYTES = 16; // 128 bits
    private static final long STALE_HANDSHAKE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int HANDSHAKE_SWEEP_THRESHOLD = 1024;

    /** What the front handler learnt about an upgrade, picked up by onOpen through the peer address. */
    private record Handshake(Map<String, List<String>> headers, TraceContext context, long createdNanos) {
    }

    private final WebSocketSettings settings;
    private final WebSocketListener listener;
    private final Logger log;
    private final Tracer tracer;
    private final WebSocketTelemetry telemetry;
    private final JsrConnectionHub hub = new JsrConnectionHub();
    private final Set<String> allowedOrigins;
    private final SecureRandom random = new SecureRandom();
    private final XnioWorker providedWorker;
    private final HttpHandler frontHandler = this::handleRequest;
    private final Endpoint jsrEndpoint = new JsrEndpointAdapter();
    private final Map<InetSocketAddress, Handshake> handshakes = new ConcurrentHashMap<>();
    private final Set<JsrWebSocketConnection> live = ConcurrentHashMap.newKeySet();
    private final Object liveMonitor = new Object();

    private volatile boolean accepting;
    private volatile HttpHandler deploymentHandler;
    private DeploymentManager deploymentManager;
    private XnioWorker ownedWorker;

    JsrWebSocketEndpoint(WebSocketSettings settings, WebSocketListener listener, LoggerFactory loggerFactory,
                         Metrics metrics, Tracer tracer, XnioWorker worker) {
        this.settings = validate(settings);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.log = Objects.requireNonNull(loggerFactory, "loggerFactory").logger(JsrWebSocketEndpoint.class);
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.telemetry = new WebSocketTelemetry(Objects.requireNonNull(metrics, "metrics"), hub::count);
        this.providedWorker = worker;
        Set<String> origins = new HashSet<>();
        for (String origin : settings.allowedOrigins()) {
            origins.add(normalizeOrigin(origin));
        }
        this.allowedOrigins = Set.copyOf(origins);
    }

    static WebSocketSettings validate(WebSocketSettings settings) {
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
        requirePositive("websocket.idle-timeout", settings.idleTimeout());
        requirePositive("websocket.ping-interval", settings.pingInterval());
        requirePositive("websocket.send-timeout", settings.sendTimeout());
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

    // ---------------------------------------------------------------- collaborators for connections

    WebSocketSettings settings() {
        return settings;
    }

    WebSocketListener listener() {
        return listener;
    }

    Logger logger() {
        return log;
    }

    Tracer tracer() {
        return tracer;
    }

    WebSocketTelemetry telemetry() {
        return telemetry;
    }

    @Override
    public JsrConnectionHub hub() {
        return hub;
    }

    void finished(JsrWebSocketConnection connection) {
        if (live.remove(connection)) {
            synchronized (liveMonitor) {
                liveMonitor.notifyAll();
            }
        }
    }

    // ---------------------------------------------------------------- WebSocketEndpoint

    @Override
    public HttpHandler handler() {
        return frontHandler;
    }

    @Override
    public void stopAccepting() {
        accepting = false;
    }

    @Override
    public boolean isAccepting() {
        return accepting;
    }

    @Override
    public String name() {
        return "websocket " + settings.path();
    }

    @Override
    public synchronized void start() throws Exception {
        if (deploymentHandler != null) {
            return;
        }
        XnioWorker worker = providedWorker;
        if (worker == null) {
            // Only the Jakarta container's own client side would use it; kept tiny.
            ownedWorker = Xnio.getInstance(JsrWebSocketEndpoint.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_NAME, "signaling-websocket")
                    .set(Options.WORKER_IO_THREADS, 1)
                    .set(Options.WORKER_TASK_CORE_THREADS, 1)
                    .set(Options.WORKER_TASK_MAX_THREADS, 2)
                    .getMap());
            worker = ownedWorker;
        }
        ServerEndpointConfig endpointConfig = ServerEndpointConfig.Builder
                .create(JsrEndpointAdapter.class, settings.path())
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(jsrEndpoint);
                    }

                    @Override
                    public boolean checkOrigin(String originHeaderValue) {
                        return true; // checked by the front handler, before the servlet stack
                    }
                })
                .build();
        WebSocketDeploymentInfo webSockets = new WebSocketDeploymentInfo()
                .setWorker(worker)
                .setBuffers(new DefaultByteBufferPool(true, 16 * 1024))
                .addEndpoint(endpointConfig);
        DeploymentInfo deployment = Servlets.deployment()
                .setClassLoader(JsrWebSocketEndpoint.class.getClassLoader())
                .setContextPath("")
                .setDeploymentName("signaling-websocket")
                .addServletContextAttribute(WebSocketDeploymentInfo.ATTRIBUTE_NAME, webSockets);
        // A container of our own: several endpoints (or tests) in one JVM never share deployments.
        ServletContainer container = Servlets.newContainer();
        DeploymentManager manager = container.addDeployment(deployment);
        manager.deploy();
        HttpHandler handler = manager.start();
        deploymentManager = manager;
        deploymentHandler = handler;
        accepting = true;
        log.info("websocket endpoint started", "path", settings.path(), "max_connections", settings.maxConnections());
    }

    @Override
    public synchronized boolean stop(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        accepting = false;
        for (JsrWebSocketConnection connection : hub.snapshot()) {
            connection.closeLocally(CloseCodes.GOING_AWAY, "server shutting down", WebSocketTelemetry.GOING_AWAY,
                    SendFailedException.Reason.CLOSED, false);
        }
        boolean clean = awaitLive(deadline);
        if (!clean) {
            log.warn("websockets did not close in time, aborting them", "remaining", live.size());
            for (JsrWebSocketConnection connection : List.copyOf(live)) {
                connection.abort();
            }
        }
        DeploymentManager manager = deploymentManager;
        deploymentHandler = null;
        deploymentManager = null;
        if (manager != null) {
            manager.stop();
            manager.undeploy();
        }
        if (ownedWorker != null) {
            ownedWorker.shutdown();
            long remaining = deadline - System.nanoTime();
            if (!ownedWorker.awaitTermination(Math.max(remaining, 0), TimeUnit.NANOSECONDS)) {
                ownedWorker.shutdownNow();
                clean = false;
            }
            ownedWorker = null;
        }
        handshakes.clear();
        log.info("websocket endpoint stopped", "clean", clean);
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

    // ---------------------------------------------------------------- front handler (I/O thread)

    private void handleRequest(HttpServerExchange exchange) throws Exception {
        // The deployment's context path is "" and its endpoint path is the full path, so undo any
        // prefix stripping done by a PathHandler we were mounted under.
        exchange.setRelativePath(exchange.getRequestPath());
        HttpHandler deployment = deploymentHandler;
        if (deployment == null) {
            telemetry.rejected(WebSocketTelemetry.REJECT_DRAINING);
            problem(exchange, 503, "the WebSocket endpoint is not running");
            return;
        }
        if (!isUpgrade(exchange)) {
            exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            problem(exchange, 426, "this path only accepts WebSocket upgrades (GET with Upgrade: websocket)");
            return;
        }
        if (!accepting) {
            telemetry.rejected(WebSocketTelemetry.REJECT_DRAINING);
            problem(exchange, 503, "the server is shutting down and accepts no new WebSocket connections");
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        // No Origin header means no browser: the allow-list guards against cross-site browser pages.
        if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(normalizeOrigin(origin))) {
            telemetry.rejected(WebSocketTelemetry.REJECT_ORIGIN);
            log.info("websocket upgrade refused: origin not allowed", "origin", origin);
            problem(exchange, 403, "origin '" + origin + "' is not allowed to open WebSocket connections");
            return;
        }
        if (hub.count() >= settings.maxConnections()) {
            telemetry.rejected(WebSocketTelemetry.REJECT_CAPACITY);
            problem(exchange, 503, "this node holds its maximum of " + settings.maxConnections()
                    + " WebSocket connections; retry later or elsewhere");
            return;
        }
        rememberHandshake(exchange);
        deployment.handleRequest(exchange);
    }

    private static boolean isUpgrade(HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        return Methods.GET.equals(exchange.getRequestMethod()) && upgrade != null
                && upgrade.equalsIgnoreCase("websocket");
    }

    private void rememberHandshake(HttpServerExchange exchange) {
        Map<String, List<String>> headers = new HashMap<>();
        Map<String, String> carrier = new HashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, n -> new ArrayList<>(values.size())).addAll(values);
            carrier.putIfAbsent(name, values.getFirst());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        TraceContext context = tracer.current();
        if (!context.isValid()) {
            context = tracer.extract(carrier);
        }
        long now = System.nanoTime();
        if (handshakes.size() > HANDSHAKE_SWEEP_THRESHOLD) {
            // Upgrades that failed after this point never reach onOpen; forget them eventually.
            handshakes.values().removeIf(h -> now - h.createdNanos() > STALE_HANDSHAKE_NANOS);
        }
        handshakes.put(exchange.getConnection().getPeerAddress(InetSocketAddress.class), new Handshake(Collections.unmodifiableMap(headers), context, now));
    }

    private static void problem(HttpServerExchange exchange, int status, String detail) {
        Problem problem = Problem.of(status, detail, exchange.getRequestPath(), null);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Problem.CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (status == 503) {
            exchange.getResponseHeaders().put(HttpString.tryFromString("Retry-After"), "5");
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(problem.toJson().getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- Jakarta endpoint

    private String newConnectionId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The one programmatic Jakarta endpoint instance; per-connection state lives in the connection. */
    final class JsrEndpointAdapter extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            UndertowSession undertowSession = (UndertowSession) session;
            String id = newConnectionId();
            Handshake handshake = handshakes.remove(undertowSession.getWebSocketChannel().getSourceAddress());
            Map<String, List<String>> headers = handshake == null ? Map.of() : handshake.headers();
            TraceContext parent = handshake == null ? TraceContext.invalid() : handshake.context();
            Span open = (parent.isValid() ? tracer.spanBuilder("websocket.open").parent(parent)
                    : tracer.spanBuilder("websocket.open"))
                    .kind(SpanKind.SERVER)
                    .attribute("websocket.connection.id", id)
                    .start();
            open.end();
            TraceContext connectionContext = open.context().isValid() ? open.context() : parent;

            session.setMaxTextMessageBufferSize(settings.maxMessageBytes());
            session.setMaxBinaryMessageBufferSize(0);
            session.setMaxIdleTimeout(0); // our own idle timeout: pings we send must not count as activity
            JsrWebSocketConnection connection =
                    new JsrWebSocketConnection(id, JsrWebSocketEndpoint.this, undertowSession, headers, connectionContext);
            session.getUserProperties().put(CONNECTION_KEY, connection);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) connection::onText);
            session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> connection.onPong());
            session.addMessageHandler(ByteBuffer.class,
                    (MessageHandler.Partial<ByteBuffer>) (data, last) -> connection.onBinary());
            live.add(connection);
            connection.channel().addCloseTask(channel -> connection.onChannelClosed());

            hub.add(connection);
            telemetry.opened();
            connection.log().debug("websocket opened", "remote", connection.remoteAddress());
            connection.opened();
            if (!accepting) {
                connection.closeLocally(CloseCodes.GOING_AWAY, "server shutting down", WebSocketTelemetry.GOING_AWAY,
                        SendFailedException.Reason.CLOSED, false);
            } else if (hub.count() > settings.maxConnections()) {
                // Concurrent upgrades raced past the front handler's check.
                telemetry.rejected(WebSocketTelemetry.REJECT_CAPACITY);
                connection.closeLocally(CloseCodes.TRY_AGAIN_LATER, "server at capacity", WebSocketTelemetry.CAPACITY,
                        SendFailedException.Reason.CLOSED, false);
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            JsrWebSocketConnection connection = connectionOf(session);
            if (connection != null) {
                connection.onTransportClosed(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
            }
        }

        @Override
        public void onError(Session session, Throwable error) {
            JsrWebSocketConnection connection = connectionOf(session);
            if (connection != null) {
                connection.onError(error);
            } else {
                log.debug("websocket error before open", error);
            }
        }

        private JsrWebSocketConnection connectionOf(Session session) {
            return (JsrWebSocketConnection) session.getUserProperties().get(CONNECTION_KEY);
        }
    }
}
