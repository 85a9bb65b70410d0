package io.signaling.app;

import io.signaling.adapter.undertow.UndertowHttp;
import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.app.config.SignalingConfig;
import io.signaling.embedded.EmbeddedSignaling;
import io.signaling.application.debug.DebugRoutes;
import io.signaling.application.health.HealthRoutes;
import io.signaling.application.health.HealthService;
import io.signaling.application.http.StandardMiddleware;
import io.signaling.application.lifecycle.ComponentStartException;
import io.signaling.application.lifecycle.LifecycleManager;
import io.signaling.application.signaling.SignalingService;
import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.HttpServer;
import io.signaling.ports.http.Router;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketSettings;
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
 * One signaling node wired by hand from its configuration: the public listener (health, the demo
 * page, the WebSocket endpoint), the admin listener (health, metrics, debug), the signaling use
 * case and the lifecycle that starts and drains them in order.
 *
 * <p>Telemetry comes in through the ports, so a node runs with the launcher's Logback, Prometheus
 * and OpenTelemetry SDK, or with no-ops in a test. Thread-safety: build and start from one thread;
 * {@link #shutdown()} may be called from any thread, once or many times (later calls wait for the
 * first and return its result).
 */
public final class SignalingNode {

    private final SignalingConfig config;
    private final Logger log;
    private final LifecycleManager lifecycle;
    private final HealthService health;
    private final HttpServer publicServer;
    private final HttpServer adminServer;
    private final EmbeddedSignaling signaling;
    private final StandardMiddleware middleware;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final CompletableFuture<Boolean> shutdownDone = new CompletableFuture<>();

    private SignalingNode(Builder b) {
        this.config = b.config;
        LoggerFactory loggers = b.loggers;
        this.log = loggers.logger(SignalingNode.class);
        this.lifecycle = new LifecycleManager(loggers.logger(LifecycleManager.class));

        HealthService.Builder healthBuilder = HealthService.builder(lifecycle::state)
                .checkTimeout(config.health().checkTimeout())
                .cacheTtl(config.health().cacheTtl())
                .logger(loggers.logger(HealthService.class));
        b.healthChecks.forEach(healthBuilder::check);
        this.health = healthBuilder.build();
        HealthRoutes healthRoutes = new HealthRoutes(health, lifecycle::state, config.shutdown().retryAfter());

        // One middleware chain for both listeners, so the active-request gauge and the uri cap are shared.
        this.middleware = StandardMiddleware.builder(loggers, b.metrics, b.tracer)
                .accessLogExcludes(Set.copyOf(config.logging().accessLogExclude()))
                .build();

        WebSocketSettings wsSettings = config.websocket();
        // The adapter module on the classpath (chosen at build time), unless a caller forced one.
        UndertowWebSocketProvider provider = b.webSocketProvider != null ? b.webSocketProvider
                : WebSocketProviders.single(SignalingNode.class.getClassLoader());
        // The same wiring a host gets from signaling-embedded; here its endpoint is mounted behind
        // this node's own middleware and its health is the node's lifecycle.
        EmbeddedSignaling.Builder embedded = EmbeddedSignaling.builder();
        if (config.auth().mode() == AuthMode.JWT) {
            embedded.accessTokens(AccessTokens.verifier(config.auth(), loggers));
        }
        this.signaling = embedded
                .iceServers(config.turn().toSettings())
                .webSocketSettings(wsSettings)
                .maxPeersPerRoom(config.rooms().maxPeers())
                .rateLimit(config.rateLimit().messagesPerSecond(), config.rateLimit().burst())
                .drainTimeout(config.shutdown().drainTimeout())
                .loggers(loggers)
                .metrics(b.metrics)
                .tracer(b.tracer)
                .webSocketProvider(provider)
                .withoutHealthRoutes()
                .build();

        Router publicRouter = UndertowHttp.newRouter();
        middleware.install(publicRouter);
        healthRoutes.register(publicRouter);
        publicRouter.get("/", new StaticPage("/static/index.html", "text/html; charset=utf-8"));
        b.publicRoutes.forEach(routes -> routes.accept(publicRouter));
        UndertowHttp.ServerBuilder publicBuilder = UndertowHttp.server()
                .name("public")
                .host(config.server().host())
                .port(config.server().port())
                .maxRequestBodyBytes(config.server().maxRequestBody())
                .router(publicRouter)
                .mount(wsSettings.path(), signaling.webSocketHandler());
        // 0 means "Undertow's default", which the builder applies when the value is left unset.
        if (config.server().ioThreads() > 0) {
            publicBuilder.ioThreads(config.server().ioThreads());
        }
        if (config.server().workerThreads() > 0) {
            publicBuilder.workerThreads(config.server().workerThreads());
        }
        this.publicServer = publicBuilder.build();

        if (config.admin().enabled()) {
            Router adminRouter = UndertowHttp.newRouter();
            middleware.install(adminRouter);
            healthRoutes.register(adminRouter);
            if (b.metricsScrape != null) {
                adminRouter.get("/metrics", b.metricsScrape);
            }
            new DebugRoutes(lifecycle::state, middleware.activeRequests(), b.buildInfo.version(), b.buildInfo.commit())
                    .register(adminRouter);
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
            lifecycle.register(adminServer);
        }
        lifecycle.register(publicServer);
        lifecycle.register(signaling);
        b.components.forEach(lifecycle::register);
    }

    public static Builder builder(SignalingConfig config) {
        return new Builder(config);
    }

    /** Starts every component in order and marks the node ready. */
    public void start() throws ComponentStartException {
        lifecycle.start();
        lifecycle.markReady();
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
            lifecycle.beginDrain();
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
            clean = lifecycle.stop(config.shutdown().drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = lifecycle.stop(Duration.ZERO);
        } catch (RuntimeException e) {
            log.error("shutdown failed", e);
        } finally {
            health.close();
            shutdownDone.complete(clean);
        }
        return clean;
    }

    public LifecycleState state() {
        return lifecycle.state();
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
        private final List<io.signaling.ports.lifecycle.Lifecycle> components = new ArrayList<>();
        private UndertowWebSocketProvider webSocketProvider;

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
        public Builder component(io.signaling.ports.lifecycle.Lifecycle component) {
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

        public SignalingNode build() {
            return new SignalingNode(this);
        }
    }
}
