package io.signaling.app;

import io.signaling.adapter.redis.RedisCluster;
import io.signaling.adapter.undertow.UndertowHttp;
import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.app.config.SignalingConfig;
import io.signaling.application.debug.DebugRoutes;
import io.signaling.application.health.HealthRoutes;
import io.signaling.application.http.StandardMiddleware;
import io.signaling.application.lifecycle.ComponentStartException;
import io.signaling.application.signaling.SignalingService;
import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.embedded.EmbeddedSignaling;
import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.HttpServer;
import io.signaling.ports.http.Router;
import io.signaling.ports.lifecycle.Lifecycle;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.app.config.AuthMode;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One signaling node, as the server jar runs it: {@link EmbeddedSignaling} configured from
 * {@link SignalingConfig}, plus what a process has and an embedding host brings itself: the public
 * listener (health, the demo page, the WebSocket endpoint) and the admin listener (health,
 * metrics, debug). The embedded signaling owns the one lifecycle and the one health service; the
 * node hands it its listeners, checks and components.
 *
 * <p>Telemetry comes in through the ports, so a node runs with the launcher's Logback, Prometheus
 * and OpenTelemetry SDK, or with no-ops in a test. Thread-safety: build and start from one thread;
 * {@link #shutdown()} may be called from any thread, once or many times (later calls wait for the
 * first and return its result).
 */
public final class SignalingNode {

    private final SignalingConfig config;
    private final Logger log;
    private final HttpServer publicServer;
    private final HttpServer adminServer;
    private final EmbeddedSignaling signaling;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final CompletableFuture<Boolean> shutdownDone = new CompletableFuture<>();

    private SignalingNode(Builder b) {
        this.config = b.config;
        this.log = b.loggers.logger(SignalingNode.class);
        this.signaling = embedded(config, b).build();
        HealthRoutes healthRoutes = signaling.healthRoutes();

        // One middleware chain for both listeners, so the active-request gauge and the uri cap are shared.
        StandardMiddleware middleware = StandardMiddleware.builder(b.loggers, b.metrics, b.tracer)
                .accessLogExcludes(Set.copyOf(config.logging().accessLogExclude()))
                .untracedRoutes(config.tracing().healthProbeSpans() ? Set.of() : StandardMiddleware.DEFAULT_UNTRACED_ROUTES)
                .build();

        Router publicRouter = UndertowHttp.newRouter();
        middleware.install(publicRouter);
        healthRoutes.register(publicRouter);
        publicRouter.get("/", StaticPage.page("/static/index.html"));
        publicRouter.get("/signaling-client.js", StaticPage.script("/static/signaling-client.js"));
        b.publicRoutes.forEach(routes -> routes.accept(publicRouter));
        if (config.rooms().apiPublic()) {
            signaling.roomsRoutes(true).register(publicRouter);
        }
        UndertowHttp.ServerBuilder publicBuilder = UndertowHttp.server()
                .name("public")
                .host(config.server().host())
                .port(config.server().port())
                .maxRequestBodyBytes(config.server().maxRequestBody())
                .router(publicRouter)
                .mount(signaling.path(), signaling.webSocketHandler());
        // 0 means "Undertow's default", which the builder applies when the value is left unset.
        if (config.server().ioThreads() > 0) {
            publicBuilder.ioThreads(config.server().ioThreads());
        }
        if (config.server().workerThreads() > 0) {
            publicBuilder.workerThreads(config.server().workerThreads());
        }
        this.publicServer = publicBuilder.build();

        if (config.admin().enabled()) {
            // /metrics and /debug are unauthenticated: a public admin address must be asked for.
            if (!config.admin().loopbackOnly()) {
                if (!config.admin().allowPublic()) {
                    throw new IllegalArgumentException("admin.host " + config.admin().host() + " is not a loopback"
                            + " address; bind 127.0.0.1 or set admin.allow-public=true");
                }
                log.warn("admin listener binds a non-loopback address: /metrics and /debug are reachable from the"
                        + " network; keep the port off public networks", "admin_host", config.admin().host(),
                        "admin_port", config.admin().port());
            }
            Router adminRouter = UndertowHttp.newRouter();
            middleware.install(adminRouter);
            healthRoutes.register(adminRouter);
            if (b.metricsScrape != null) {
                adminRouter.get("/metrics", b.metricsScrape);
            }
            new DebugRoutes(signaling::state, middleware.activeRequests(), b.buildInfo.version(),
                    b.buildInfo.commit()).register(adminRouter);
            signaling.roomsRoutes(false).register(adminRouter);
            this.adminServer = UndertowHttp.server()
                    .name("admin")
                    .host(config.admin().host())
                    .port(config.admin().port())
                    .router(adminRouter)
                    .build();
        } else {
            this.adminServer = null;
        }

        // Started in this order, stopped in reverse: signaling drains its sockets (goaway, 1001)
        // while both listeners still run, then the endpoint closes what is left, then the public
        // listener finishes its in-flight requests, and the admin listener (metrics, health) goes last.
        if (adminServer != null) {
            signaling.listener(adminServer);
        }
        signaling.listener(publicServer);
    }

    /**
     * Signaling as the configuration and the node's collaborators define it: everything an
     * embedding host would pass, taken from the settings the jar reads.
     */
    private static EmbeddedSignaling.Builder embedded(SignalingConfig config, Builder b) {
        EmbeddedSignaling.Builder signaling = EmbeddedSignaling.builder()
                .webSocketSettings(config.websocket())
                .maxPeersPerRoom(config.rooms().maxPeers())
                .rateLimit(config.rateLimit().messagesPerSecond(), config.rateLimit().burst())
                .drainTimeout(config.shutdown().drainTimeout())
                .resume(config.session().resume())
                .healthCheckTimeout(config.health().checkTimeout())
                .healthCacheTtl(config.health().cacheTtl())
                .retryAfter(config.shutdown().retryAfter())
                .maxRequestBodyBytes(config.server().maxRequestBody())
                .loggers(b.loggers)
                .metrics(b.metrics)
                .tracer(b.tracer)
                // The node serves health on its own listeners (health routes above), not through handler().
                .withoutHealthRoutes();
        if (b.webSocketProvider != null) {
            signaling.webSocketProvider(b.webSocketProvider);
        }
        // A cluster node when redis.enabled (or a cluster was given); embedded adds the store's
        // readiness check.
        Cluster cluster = b.cluster != null ? b.cluster
                : config.redis().enabled() ? connectRedis(config, b.loggers, b.metrics) : null;
        if (cluster != null) {
            signaling.cluster(cluster);
        }
        if (config.auth().mode() == AuthMode.JWT) {
            signaling.accessTokens(AccessTokens.verifier(config.auth(), b.loggers));
        }
        signaling.iceServers(config.turn().toSettings());
        b.healthChecks.forEach(signaling::healthCheck);
        b.components.forEach(signaling::component);
        return signaling;
    }

    public static Builder builder(SignalingConfig config) {
        return new Builder(config);
    }

    private static Cluster connectRedis(SignalingConfig config, LoggerFactory loggers, Metrics metrics) {
        var redis = config.redis();
        return RedisCluster.builder(redis.uri())
                .password(redis.password().reveal())
                .keyPrefix(redis.keyPrefix())
                .nodeTtl(redis.nodeTtl())
                .commandTimeout(redis.commandTimeout())
                .inboxMaxLength(redis.inboxMaxLength())
                .requestQueueSize(redis.requestQueueSize())
                .sendQueueBytes(redis.sendQueueBytes())
                .loggers(loggers)
                .metrics(metrics)
                .connect();
    }

    /** Starts every component in order and marks the node ready. */
    public void start() throws ComponentStartException {
        signaling.start();
    }

    /**
     * The graceful shutdown: readiness turns 503 at once; after {@code shutdown.readiness-delay}
     * the public listener stops accepting and WebSocket upgrades are refused; signaling drains
     * every socket within {@code shutdown.drain-timeout}; in-flight requests finish within what
     * remains of it; components stop in reverse order.
     *
     * @return whether everything stopped cleanly within the deadline
     */
    public boolean shutdown() {
        if (!shutdownStarted.compareAndSet(false, true)) {
            return shutdownDone.join();
        }
        boolean clean = false;
        try {
            signaling.beginDrain();
            Duration delay = config.shutdown().readinessDelay();
            log.info("shutdown started: readiness is 503", "readiness_delay_ms", delay.toMillis(),
                    "drain_timeout_ms", config.shutdown().drainTimeout().toMillis());
            if (!delay.isZero()) {
                // Load balancers need this long to see readiness fail and stop sending new traffic.
                Thread.sleep(delay.toMillis());
            }
            signaling.stopAccepting();
            publicServer.stopAccepting();
            log.info("listener stopped accepting; draining", "active_requests", publicServer.activeRequests(),
                    "websockets", signaling.connections().count());
            clean = signaling.stop(config.shutdown().drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = signaling.stop(Duration.ZERO);
        } catch (RuntimeException e) {
            log.error("shutdown failed", e);
        } finally {
            shutdownDone.complete(clean);
        }
        return clean;
    }

    public LifecycleState state() {
        return signaling.state();
    }

    public InetSocketAddress publicAddress() {
        return publicServer.address();
    }

    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(adminServer).map(HttpServer::address);
    }

    public SignalingService signaling() {
        return signaling.signalingService();
    }

    /** The WebSocket adapter this node runs on: {@code "jsr"} or {@code "native"}. */
    public String webSocketAdapter() {
        return signaling.webSocketAdapter();
    }

    /** What is wired into a node beyond its configuration. */
    public static final class Builder {
        private final SignalingConfig config;
        private LoggerFactory loggers = LoggerFactory.noop();
        private Metrics metrics = Metrics.noop();
        private Tracer tracer = Tracer.noop();
        private HttpHandler metricsScrape;
        private BuildInfo buildInfo = new BuildInfo("unknown", "unknown");
        private final List<Consumer<Router>> publicRoutes = new ArrayList<>();
        private final List<HealthCheck> healthChecks = new ArrayList<>();
        private final List<Lifecycle> components = new ArrayList<>();
        private UndertowWebSocketProvider webSocketProvider;
        private Cluster cluster;

        private Builder(SignalingConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

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

        /** The {@code GET /metrics} handler of the admin listener; none when metrics are off. */
        public Builder metricsScrape(HttpHandler scrape) {
            this.metricsScrape = scrape;
            return this;
        }

        public Builder buildInfo(BuildInfo buildInfo) {
            this.buildInfo = Objects.requireNonNull(buildInfo, "buildInfo");
            return this;
        }

        /** Adds routes to the public listener, behind the same middleware. */
        public Builder publicRoutes(Consumer<Router> routes) {
            this.publicRoutes.add(Objects.requireNonNull(routes, "routes"));
            return this;
        }

        public Builder healthCheck(HealthCheck check) {
            this.healthChecks.add(Objects.requireNonNull(check, "check"));
            return this;
        }

        /** A component started after the node's own and stopped before them. */
        public Builder component(Lifecycle component) {
            this.components.add(Objects.requireNonNull(component, "component"));
            return this;
        }

        /**
         * The WebSocket adapter to use instead of the one found on the classpath with
         * {@link java.util.ServiceLoader} (where exactly one must be, else {@link #build()} throws).
         */
        public Builder webSocketProvider(UndertowWebSocketProvider provider) {
            this.webSocketProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Runs as a cluster node on these ports instead of the Redis that {@code redis.*} configures. */
        public Builder cluster(Cluster cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        public SignalingNode build() {
            return new SignalingNode(this);
        }
    }
}
