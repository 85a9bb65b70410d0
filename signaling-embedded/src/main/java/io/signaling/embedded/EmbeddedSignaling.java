package io.signaling.embedded;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.signaling.adapter.jackson.JacksonCodecs;
import io.signaling.adapter.undertow.UndertowHttp;
import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.adapter.undertow.WebSocketEndpoint;
import io.signaling.application.cluster.SignalingCluster;
import io.signaling.application.health.HealthRoutes;
import io.signaling.application.rooms.AdminAccess;
import io.signaling.application.rooms.RoomAdmin;
import io.signaling.application.rooms.RoomsRoutes;
import io.signaling.application.health.HealthService;
import io.signaling.application.http.StandardMiddleware;
import io.signaling.application.lifecycle.ComponentStartException;
import io.signaling.application.lifecycle.LifecycleManager;
import io.signaling.application.ice.TurnCredentials;
import io.signaling.application.signaling.SignalingService;
import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.signaling.IceSettings;
import java.security.SecureRandom;
import java.time.Clock;
import io.signaling.domain.health.CheckResult;
import io.signaling.domain.health.HealthReport;
import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.observability.Observability;
import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.health.HealthQuery;
import io.signaling.ports.http.Router;
import io.signaling.ports.lifecycle.Lifecycle;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.signaling.ResumeSettings;
import io.signaling.ports.signaling.SignalingSettings;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.ConnectionHub;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.server.HttpHandler;
import org.slf4j.ILoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Signaling v1 mounted into a host's own Undertow server.
 *
 * <pre>{@code
 * EmbeddedSignaling signaling = EmbeddedSignaling.builder()
 *         .path("/signal")
 *         .slf4j(org.slf4j.LoggerFactory.getILoggerFactory())
 *         .meterRegistry(hostRegistry)
 *         .openTelemetry(hostOpenTelemetry)
 *         .build();
 * Undertow server = Undertow.builder()
 *         .addHttpListener(8080, "0.0.0.0")
 *         .setHandler(signaling.handler(hostRoutes))   // ours: /signal, /health/*; the rest: the host's
 *         .build();
 * signaling.start();
 * server.start();
 * ...
 * signaling.stop(Duration.ofSeconds(30));            // goaway + 1001 to every socket, then
 * server.stop();
 * }</pre>
 *
 * <p>The handler serves the WebSocket upgrade at {@link #path()}, {@code GET /health/live} and
 * {@code /health/ready} under the health prefix (unless switched off), and the metrics scrape when
 * one is given, all behind the standard middleware (request id, recovery, tracing, metrics, access
 * log); every other request goes to the host's handler untouched. Routes match the full request
 * path. Exactly one WebSocket adapter module ({@code signaling-adapters-undertow-jsr} or
 * {@code -native}) must be on the host's classpath ({@link WebSocketProviders}), or be given to
 * the builder.
 *
 * <p>It owns the one lifecycle and the one health service of what it runs: a host may hand it
 * its listeners ({@link #listener}) and further components ({@link Builder#component}) to start
 * and stop in order with signaling, and its readiness checks ({@link Builder#healthCheck}). The
 * server jar ({@code signaling-app}'s {@code SignalingNode}) is such a host: it adds its two
 * listeners and nothing else, so an embedding host runs exactly what the jar runs.
 *
 * <p>Thread-safety: build, {@link #listener} and start from one thread; {@link #stop} from any
 * thread, once.
 */
public final class EmbeddedSignaling implements Lifecycle {

    private final String path;
    private final String healthPrefix;
    private final boolean healthProbeSpans;
    private final LifecycleManager lifecycle;
    private final HealthService health;
    private final WebSocketEndpoint webSocket;
    private final SignalingService signaling;
    private final SignalingCluster cluster;
    private final long maxRequestBodyBytes;
    private final String adapterName;
    private final LoggerFactory loggers;
    private final Metrics metrics;
    private final Tracer tracer;
    private final String metricsPath;
    private final Supplier<String> metricsScrape;
    private final HealthRoutes healthRoutes;
    private final AccessTokenVerifier accessTokens;
    private final RoomAdmin roomAdmin;
    private final List<Lifecycle> listeners = new ArrayList<>();
    private final List<Lifecycle> components;
    private boolean registered;

    private EmbeddedSignaling(Builder b) {
        WebSocketSettings ws = b.webSocketSettings();
        this.path = ws.path();
        this.healthPrefix = b.healthPrefix;
        this.healthProbeSpans = b.healthProbeSpans;
        this.maxRequestBodyBytes = b.maxRequestBodyBytes;
        LoggerFactory loggers = b.loggers;
        this.loggers = loggers;
        this.metrics = b.metrics;
        this.tracer = b.tracer;
        this.metricsPath = b.metricsPath;
        this.metricsScrape = b.metricsScrape;
        this.lifecycle = new LifecycleManager(loggers.logger(EmbeddedSignaling.class));
        this.cluster = b.cluster == null ? null : SignalingCluster.builder(b.cluster)
                .loggers(loggers).metrics(b.metrics).tracer(b.tracer).build();
        HealthService.Builder healthBuilder = HealthService.builder(lifecycle::state)
                .checkTimeout(b.healthCheckTimeout)
                .logger(loggers.logger(HealthService.class));
        if (b.healthCacheTtl != null) {
            healthBuilder.cacheTtl(b.healthCacheTtl);
        }
        b.healthChecks.forEach(healthBuilder::check);
        if (cluster != null) {
            // Readiness only: a Redis outage takes the node out of load balancing, never restarts it.
            healthBuilder.check(cluster.health());
        }
        this.health = healthBuilder.build();
        this.healthRoutes = new HealthRoutes(health, lifecycle::state, b.retryAfter);
        this.components = List.copyOf(b.components);

        UndertowWebSocketProvider provider = b.provider != null ? b.provider : WebSocketProviders.single(b.classLoader);
        this.adapterName = provider.name();
        // The service reaches peers through their connections, not the hub: it comes first, as the endpoint's listener.
        SignalingService.Builder service = SignalingService.builder(JacksonCodecs.messageCodec())
                .settings(SignalingSettings.of(ws, b.maxPeersPerRoom, b.messagesPerSecond, b.burst, b.drainTimeout))
                .loggers(loggers)
                .metrics(b.metrics)
                .tracer(b.tracer)
                .resume(b.resume);
        if (cluster != null) {
            service.cluster(cluster);
        }
        if (b.accessTokens != null) {
            service.accessTokens(b.accessTokens);
        }
        if (b.iceSettings.configured()) {
            service.iceServers(new TurnCredentials(b.iceSettings, Clock.systemUTC(), new SecureRandom()));
        }
        this.signaling = service.build();
        this.webSocket = provider.create(ws, signaling, loggers, b.metrics, b.tracer);
        this.accessTokens = b.accessTokens;
        this.roomAdmin = RoomAdmin.builder(signaling.roomControl()).loggers(loggers).metrics(b.metrics)
                .tracer(b.tracer).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The host's handler with signaling in front of it: the WebSocket path, the health routes and
     * the metrics path are served here, every other request goes to {@code next} as it came.
     * Call once; the routes are fixed from then on.
     */
    public HttpHandler handler(HttpHandler next) {
        Objects.requireNonNull(next, "next");
        // Built here, not in the constructor: a caller that mounts only webSocketHandler() behind
        // its own middleware (the launcher) registers no second set of HTTP meters.
        Router router = UndertowHttp.newRouter();
        Set<String> probes = healthPrefix == null ? Set.of() : Set.of(healthPrefix + "/live", healthPrefix + "/ready");
        StandardMiddleware.builder(loggers, metrics, tracer)
                .accessLogExcludes(probes)
                .untracedRoutes(healthProbeSpans ? Set.of() : probes)
                .build()
                .install(router);
        if (healthPrefix != null) {
            router.get(healthPrefix + "/live", healthRoutes.liveness());
            router.get(healthPrefix + "/ready", healthRoutes.readiness());
        }
        if (metricsPath != null) {
            Supplier<String> scrape = metricsScrape;
            router.get(metricsPath, exchange -> {
                exchange.status(200).responseHeader("Cache-Control", "no-store");
                exchange.send("text/plain; version=0.0.4; charset=utf-8", scrape.get());
            });
        }
        HttpHandler ours = UndertowHttp.handler(router, Map.of(path, webSocket.handler()), maxRequestBodyBytes);
        Set<String> exact = new java.util.HashSet<>();
        exact.add(path);
        if (healthPrefix != null) {
            exact.add(healthPrefix + "/live");
            exact.add(healthPrefix + "/ready");
        }
        if (metricsPath != null) {
            exact.add(metricsPath);
        }
        return exchange -> {
            if (exact.contains(exchange.getRequestPath())) {
                ours.handleRequest(exchange);
            } else {
                next.handleRequest(exchange);
            }
        };
    }

    /**
     * The bare WebSocket endpoint handler, for a caller that mounts it at {@link #path()} behind
     * its own middleware (the launcher does, on its public listener).
     */
    public HttpHandler webSocketHandler() {
        return webSocket.handler();
    }

    /** From now on, upgrades get 503; open sockets are left to {@link #stop}. Idempotent. */
    public void stopAccepting() {
        webSocket.stopAccepting();
    }

    /** The signaling use case itself, for callers that observe it (tests, diagnostics). */
    public SignalingService signalingService() {
        return signaling;
    }

    /** The WebSocket path, e.g. {@code /signal}. */
    public String path() {
        return path;
    }

    /** Which WebSocket adapter serves: {@code jsr} or {@code native}. */
    public String webSocketAdapter() {
        return adapterName;
    }

    /** Signaling's health, for the host to fold into its own readiness. */
    public HealthQuery health() {
        return health;
    }

    /**
     * Liveness and readiness handlers on this health and lifecycle, for a host that serves them
     * on routers of its own (the server jar does, on both its listeners).
     */
    public HealthRoutes healthRoutes() {
        return healthRoutes;
    }

    /**
     * A host listener that serves {@link #handler} or {@link #webSocketHandler}: started before
     * signaling, so it takes upgrades as soon as signaling is ready, and stopped after it, so the
     * drain's goaway and close frames still go out. Listeners start in the order given and stop
     * in reverse. Call before {@link #start}.
     *
     * @throws IllegalStateException after {@link #start}
     */
    public EmbeddedSignaling listener(Lifecycle listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (listeners) {
            if (registered) {
                throw new IllegalStateException("cannot add listener '" + listener.name() + "' after start()");
            }
            listeners.add(listener);
        }
        return this;
    }

    /** Whether signaling takes traffic: started and not draining. */
    public boolean isReady() {
        return health.readiness().isUp();
    }

    /** Signaling's readiness as one named check for a host that aggregates checks itself. */
    public HealthCheck readinessCheck() {
        return new HealthCheck() {
            @Override
            public String name() {
                return "signaling";
            }

            @Override
            public CheckResult check() {
                HealthReport report = health.readiness();
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("state", lifecycle.state().name());
                data.put("connections", webSocket.hub().count());
                return new CheckResult("signaling", report.status(), data);
            }
        };
    }

    /** The shared store's readiness check when this is a cluster node ({@code redis}); empty otherwise. */
    public java.util.Optional<HealthCheck> clusterHealth() {
        return java.util.Optional.ofNullable(cluster).map(SignalingCluster::health);
    }

    /** The room management use case (list, inspect, remove a peer, close a room; cluster-wide). */
    public RoomAdmin roomAdmin() {
        return roomAdmin;
    }

    /**
     * The room management API ({@code /api/v1/rooms}, {@code /api/v1/openapi.json}) for a router of
     * the host's: open to whoever reaches the listener (an admin listener), or, with
     * {@code adminTokens}, to the bearers of admin tokens only (a public listener).
     *
     * @throws IllegalStateException with {@code adminTokens} when no access token verifier is configured
     */
    public RoomsRoutes roomsRoutes(boolean adminTokens) {
        if (!adminTokens) {
            return new RoomsRoutes(roomAdmin, AdminAccess.adminListener());
        }
        if (accessTokens == null) {
            throw new IllegalStateException("the room management API on a public listener needs access tokens"
                    + " (accessTokens(...) / auth.mode=jwt)");
        }
        return new RoomsRoutes(roomAdmin, AdminAccess.adminToken(accessTokens, loggers, metrics));
    }

    /** This node's cluster side, when it is one of a cluster. */
    public java.util.Optional<SignalingCluster> cluster() {
        return java.util.Optional.ofNullable(cluster);
    }

    /** The open WebSocket connections. */
    public ConnectionHub connections() {
        return webSocket.hub();
    }

    public LifecycleState state() {
        return lifecycle.state();
    }

    @Override
    public String name() {
        return "signaling";
    }

    /**
     * Starts, in order, the host's listeners, the endpoint, signaling and the host's components;
     * readiness turns UP. A failure stops, in reverse, what had started.
     */
    @Override
    public void start() throws ComponentStartException {
        synchronized (listeners) {
            if (!registered) {
                registered = true;
                listeners.forEach(lifecycle::register);
                // Stopped in reverse: signaling drains (goaway, peer-left, 1001) before the endpoint closes what is left.
                lifecycle.register(webSocket);
                lifecycle.register(signaling);
                components.forEach(lifecycle::register);
            }
        }
        lifecycle.start();
        lifecycle.markReady();
    }

    /**
     * Readiness turns DOWN at once; everything else carries on until {@link #stop}. For a host
     * that gives load balancers time to notice before it stops accepting. Idempotent.
     */
    public void beginDrain() {
        lifecycle.beginDrain();
    }

    /**
     * Readiness turns DOWN, new upgrades get 503, and every socket is drained within
     * {@code timeout}: {@code goaway}, {@code peer-left} to its room-mates, close 1001; then the
     * host's components and listeners stop, in reverse start order, within what remains of it.
     */
    @Override
    public boolean stop(Duration timeout) {
        lifecycle.beginDrain();
        webSocket.stopAccepting();
        try {
            return lifecycle.stop(timeout);
        } finally {
            health.close();
        }
    }

    /** What the host passes in; every telemetry part defaults to a no-op. */
    public static final class Builder {
        private WebSocketSettings webSocket = WebSocketSettings.defaults();
        private String path;
        private String healthPrefix = "/health";
        private boolean healthProbeSpans;
        private String metricsPath;
        private Supplier<String> metricsScrape;
        // The contract's defaults have one home, SignalingSettings.defaults(); the server's config declares them from there too.
        private int maxPeersPerRoom = SignalingSettings.defaults().maxPeersPerRoom();
        private double messagesPerSecond = SignalingSettings.defaults().messagesPerSecond();
        private int burst = SignalingSettings.defaults().burst();
        private Duration drainTimeout = SignalingSettings.defaults().drainTimeout();
        private Duration healthCheckTimeout = Duration.ofSeconds(2);
        private Duration healthCacheTtl;
        private Duration retryAfter = Duration.ofSeconds(5);
        private final List<HealthCheck> healthChecks = new ArrayList<>();
        private final List<Lifecycle> components = new ArrayList<>();
        private long maxRequestBodyBytes = 1024 * 1024;
        private LoggerFactory loggers = LoggerFactory.noop();
        private Metrics metrics = Metrics.noop();
        private Tracer tracer = Tracer.noop();
        private UndertowWebSocketProvider provider;
        private ClassLoader classLoader = EmbeddedSignaling.class.getClassLoader();
        private Cluster cluster;
        private AccessTokenVerifier accessTokens;
        private IceSettings iceSettings = IceSettings.none();
        private ResumeSettings resume = ResumeSettings.defaults();

        private Builder() {
        }

        /** The WebSocket path; default {@code /ws}. */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Every transport limit at once (its path too, unless {@link #path} is set). */
        public Builder webSocketSettings(WebSocketSettings settings) {
            this.webSocket = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder maxPeersPerRoom(int maxPeersPerRoom) {
            this.maxPeersPerRoom = maxPeersPerRoom;
            return this;
        }

        public Builder rateLimit(double messagesPerSecond, int burst) {
            this.messagesPerSecond = messagesPerSecond;
            this.burst = burst;
            return this;
        }

        /** What {@link EmbeddedSignaling#stop} may take at most when the host gives it no less. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
            return this;
        }

        /** Where the health routes go ({@code PREFIX/live}, {@code PREFIX/ready}); default {@code /health}. */
        public Builder healthPrefix(String prefix) {
            this.healthPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Whether the health routes of {@link EmbeddedSignaling#handler} get a server span like
         * every other request; default false (probes are still timed in the request metrics).
         */
        public Builder healthProbeSpans(boolean traced) {
            this.healthProbeSpans = traced;
            return this;
        }

        /** A check slower than this counts as DOWN; default 2 s. */
        public Builder healthCheckTimeout(Duration timeout) {
            this.healthCheckTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long check results are reused; default the health service's. */
        public Builder healthCacheTtl(Duration ttl) {
            this.healthCacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** A readiness check of the host's, reported beside signaling's lifecycle. */
        public Builder healthCheck(HealthCheck check) {
            this.healthChecks.add(Objects.requireNonNull(check, "check"));
            return this;
        }

        /** The {@code Retry-After} of readiness while draining; default 5 s. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
            return this;
        }

        /** A host component started after signaling and stopped before it, in its lifecycle. */
        public Builder component(Lifecycle component) {
            this.components.add(Objects.requireNonNull(component, "component"));
            return this;
        }

        /** No health routes: the host folds {@link #health()} into its own. */
        public Builder withoutHealthRoutes() {
            this.healthPrefix = null;
            return this;
        }

        /** Serves a Prometheus text scrape, e.g. {@code prometheusRegistry::scrape}, at {@code path}. */
        public Builder metricsEndpoint(String path, Supplier<String> scrape) {
            this.metricsPath = Objects.requireNonNull(path, "path");
            this.metricsScrape = Objects.requireNonNull(scrape, "scrape");
            return this;
        }

        /** The host's SLF4J backend, e.g. {@code org.slf4j.LoggerFactory.getILoggerFactory()}. */
        public Builder slf4j(ILoggerFactory slf4j) {
            this.loggers = Observability.slf4jLoggerFactory(Objects.requireNonNull(slf4j, "slf4j"));
            return this;
        }

        /** The host's Micrometer registry: signaling, WebSocket and HTTP meters land there. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.metrics = Observability.micrometerMetrics(Objects.requireNonNull(registry, "registry"));
            return this;
        }

        /** The host's OpenTelemetry (SDK or API); never the global one unless the host passes it. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.tracer = Observability.otelTracer(Objects.requireNonNull(openTelemetry, "openTelemetry"));
            return this;
        }

        /** Port-level telemetry, for hosts that adapt their own. */
        public Builder loggers(LoggerFactory loggers) {
            this.loggers = Objects.requireNonNull(loggers, "loggers");
            return this;
        }

        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = Objects.requireNonNull(tracer, "tracer");
            return this;
        }

        /** The WebSocket adapter to use instead of the single one found with {@link ServiceLoader}. */
        public Builder webSocketProvider(UndertowWebSocketProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Where to look for the WebSocket adapter module; default this module's loader. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Runs as one node of a cluster on these ports (e.g. {@code RedisCluster.builder(uri).connect()}
         * from signaling-adapters-redis): rooms span nodes, readiness gains the store's check.
         * Without it, signaling is one node in memory.
         */
        public Builder cluster(Cluster cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        /**
         * Requires an access token at every upgrade ({@code auth.mode: jwt}), verified by this
         * verifier (e.g. {@code JwtVerifiers.builder()…build()} from signaling-adapters-jwt); a
         * connection may then join only its token's room. Default: no authentication.
         */
        public Builder accessTokens(AccessTokenVerifier verifier) {
            this.accessTokens = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /** (v1.1) Session resume: window and buffer bounds; default 15 s, 256 messages, 1 MiB. */
        public Builder resume(ResumeSettings resume) {
            this.resume = Objects.requireNonNull(resume, "resume");
            return this;
        }

        /** STUN/TURN servers for {@code welcome.iceServers}, TURN with REST credentials; default none. */
        public Builder iceServers(IceSettings settings) {
            this.iceSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder maxRequestBodyBytes(long bytes) {
            this.maxRequestBodyBytes = bytes;
            return this;
        }

        WebSocketSettings webSocketSettings() {
            if (path == null) {
                return webSocket;
            }
            return new WebSocketSettings(path, webSocket.maxMessageBytes(), webSocket.idleTimeout(),
                    webSocket.pingInterval(), webSocket.sendTimeout(), webSocket.sendQueueMessages(),
                    webSocket.sendQueueBytes(), webSocket.maxConnections(), webSocket.allowedOrigins(),
                    webSocket.maxConnectionsPerAddress(), webSocket.trustedProxies(), webSocket.messageSpanRatio());
        }

        /** Validates (SignalingSettings and the adapter check every limit) and wires. */
        public EmbeddedSignaling build() {
            return new EmbeddedSignaling(this);
        }
    }

}
