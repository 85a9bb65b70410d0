package io.signaling.app;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.app.cli.Cli;
import io.signaling.app.cli.Invocation;
import io.signaling.app.config.EffectiveConfig;
import io.signaling.app.config.SignalingConfig;
import io.signaling.app.telemetry.LogbackSetup;
import io.signaling.app.telemetry.LoggingSettings;
import io.signaling.app.telemetry.MetricsSettings;
import io.signaling.app.telemetry.OtelSdkSetup;
import io.signaling.app.telemetry.PrometheusSetup;
import io.signaling.app.telemetry.TracingSettings;
import io.signaling.embedded.WebSocketProviders;
import io.signaling.application.http.StandardMiddleware;
import io.signaling.application.lifecycle.ComponentStartException;
import io.signaling.observability.Observability;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs the server as a process: parses the command line, sets up the telemetry back-ends, starts
 * a {@link SignalingNode}, waits for SIGTERM or SIGINT and shuts down gracefully.
 *
 * <p>{@code warmup} runs the same start, with the listeners the CLI forces onto loopback, then
 * exercises the node ({@link Warmup}) and runs the same graceful shutdown itself instead of
 * waiting for a signal: a training run for an AppCDS archive that ends on its own.
 *
 * <p>Exit codes: 0 after a clean shutdown (or a successful {@code check}, {@code warmup},
 * {@code --help}, {@code --version}); 1 when the server failed to start, a shutdown overran its
 * deadline or a {@code warmup} step failed; 2 when the configuration is invalid, or the build
 * holds no WebSocket adapter module or more than one (nothing is started).
 */
public final class Launcher {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_CONFIG_ERROR = Cli.EXIT_CONFIG_ERROR;

    private static final Duration TELEMETRY_FLUSH_MIN = Duration.ofSeconds(2);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final SignalSource signals;
    private final ClassLoader adapters;
    private final Consumer<SignalingNode.Builder> nodeCustomizer;

    /** Where shutdown requests come from; the process installs OS signal handlers. */
    public interface SignalSource {
        void onShutdownRequest(Runnable action);
    }

    public Launcher(Map<String, String> env, PrintStream out, PrintStream err, SignalSource signals) {
        this(env, out, err, signals, Launcher.class.getClassLoader(), node -> { });
    }

    /**
     * A launcher whose node gets more wiring than the configuration gives: extra public routes,
     * health checks or components, added by {@code nodeCustomizer} after the launcher's own
     * telemetry and before the node is built. This is how a process test runs the real launcher
     * (CLI, telemetry set-up, signals, exit codes) with a route the product does not have.
     */
    public Launcher(Map<String, String> env, PrintStream out, PrintStream err, SignalSource signals,
                    Consumer<SignalingNode.Builder> nodeCustomizer) {
        this(env, out, err, signals, Launcher.class.getClassLoader(), nodeCustomizer);
    }

    /**
     * As {@link #Launcher(Map, PrintStream, PrintStream, SignalSource)}, looking for the WebSocket
     * adapter module through {@code adapters} instead of this class's loader.
     */
    public Launcher(Map<String, String> env, PrintStream out, PrintStream err, SignalSource signals, ClassLoader adapters) {
        this(env, out, err, signals, adapters, node -> { });
    }

    public Launcher(Map<String, String> env, PrintStream out, PrintStream err, SignalSource signals,
                    ClassLoader adapters, Consumer<SignalingNode.Builder> nodeCustomizer) {
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.signals = Objects.requireNonNull(signals, "signals");
        this.nodeCustomizer = Objects.requireNonNull(nodeCustomizer, "nodeCustomizer");
    }

    /**
     * SIGTERM and SIGINT of this JVM, as {@code Main} uses them: the first starts the graceful
     * shutdown, a second one during it halts the process with 130. Install it once per process.
     */
    public static SignalSource osSignals() {
        return new OsSignals();
    }

    public int run(String[] args) {
        Invocation invocation = Cli.parse(args, env);
        switch (invocation.command()) {
            case HELP:
                out.print(Cli.usage());
                return EXIT_OK;
            case VERSION:
                out.println(Cli.version());
                return EXIT_OK;
            default:
                break;
        }
        if (!invocation.isValid()) {
            err.println("signaling: invalid configuration, nothing was started:");
            err.println(invocation.problemReport());
            return EXIT_CONFIG_ERROR;
        }
        SignalingConfig config = invocation.config().orElseThrow();
        switch (invocation.command()) {
            case CHECK:
                out.println("# configuration is valid; effective values (secrets masked):");
                out.print(EffectiveConfig.render(config));
                return EXIT_OK;
            case RUN:
                return serve(config, false);
            case WARMUP:
                return serve(config, true);
            case TOKEN:
                return token(config, invocation.token().orElseThrow());
            default:
                throw new IllegalStateException("unhandled command " + invocation.command());
        }
    }

    /** Mints with the first HMAC key; the token alone on the last line, so scripts can take {@code tail -1}. */
    private int token(SignalingConfig config, io.signaling.app.cli.Invocation.TokenRequest request) {
        io.signaling.app.config.JwtKeyConfig key = AccessTokens.signingKey(config.auth()).orElseThrow();
        java.time.Instant now = java.time.Instant.now();
        String token = io.signaling.adapter.jwt.JwtVerifiers.mintHmac(key.kid(), key.alg(),
                key.secret().reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8), request.subject(),
                io.signaling.domain.signaling.RoomId.of(request.room()), config.auth().audience(), now, request.ttl());
        out.println("# access token for sub '" + request.subject() + "', room '" + request.room() + "', key '"
                + key.kid() + "', expires " + now.plus(request.ttl()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + (config.auth().mode() == io.signaling.app.config.AuthMode.JWT ? ""
                : " (note: auth.mode is none here, so this server ignores tokens)"));
        out.println(token);
        return EXIT_OK;
    }

    private int serve(SignalingConfig config, boolean warmup) {
        UndertowWebSocketProvider webSocketProvider;
        try {
            webSocketProvider = WebSocketProviders.single(adapters);
        } catch (WebSocketProviders.SelectionException e) {
            err.println("signaling: invalid build, nothing was started: " + e.getMessage());
            return EXIT_CONFIG_ERROR;
        }
        BuildInfo build = BuildInfo.load();
        LogbackSetup logging;
        try {
            logging = LogbackSetup.configure(loggingSettings(config));
        } catch (RuntimeException e) {
            err.println("signaling: failed to start: logging: " + e.getMessage());
            return EXIT_FAILURE;
        }
        LoggerFactory loggers = Observability.slf4jLoggerFactory(logging.context());
        Logger log = loggers.logger(Launcher.class);
        if (log.isDebugEnabled()) {
            log.debug("effective configuration", "config", EffectiveConfig.render(config));
        }

        PrometheusSetup prometheus = null;
        OtelSdkSetup otel = null;
        SignalingNode node = null;
        try {
            String instance = config.service().instanceIdOrHostname();
            Metrics metrics = Metrics.noop();
            HttpHandler scrape = null;
            if (config.metrics().enabled()) {
                prometheus = PrometheusSetup.create(MetricsSettings.of(config.service().name(), instance));
                prometheus.bindDroppedLogEvents(logging);
                metrics = Observability.micrometerMetrics(prometheus.registry(), loggers.logger(Metrics.class));
                scrape = prometheus.scrape().handler();
            }
            otel = OtelSdkSetup.create(new TracingSettings(
                    TracingSettings.Exporter.parse(config.tracing().exporter().name()),
                    config.tracing().samplingRatio(), config.service().name(), build.version(), instance, env));
            Tracer tracer = Observability.otelTracer(otel.openTelemetry(), "io.signaling", build.version());

            SignalingNode.Builder builder = SignalingNode.builder(config)
                    .loggers(loggers)
                    .metrics(metrics)
                    .tracer(tracer)
                    .metricsScrape(scrape)
                    .buildInfo(build)
                    .webSocketProvider(webSocketProvider);
            nodeCustomizer.accept(builder);
            node = builder.build();
            node.start();
        } catch (ComponentStartException | RuntimeException e) {
            String reason = e instanceof ComponentStartException ? e.getMessage() : e.toString();
            log.error("failed to start", "reason", reason);
            err.println("signaling: failed to start: " + reason);
            // A failed start has already stopped, in reverse, what it had started.
            closeTelemetry(otel, prometheus, Duration.ofSeconds(1));
            logging.stop();
            return EXIT_FAILURE;
        }

        long startupMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        String publicUrl = url(node.publicAddress(), config.server().host());
        log.info("started", "public", publicUrl,
                "admin", node.adminAddress().map(a -> url(a, config.admin().host())).orElse("disabled"),
                "websocket", publicUrl.replaceFirst("^http", "ws") + config.websocket().path(),
                "websocket_adapter", node.webSocketAdapter(),
                "startup_ms", startupMillis, "version", build.version());

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(EXIT_OK);
        AtomicBoolean shutdownBegun = new AtomicBoolean();
        SignalingNode running = node;
        PrometheusSetup prom = prometheus;
        OtelSdkSetup sdk = otel;
        Runnable shutdown = () -> {
            // Once: warmup runs it itself, and a signal may arrive at the same time.
            if (!shutdownBegun.compareAndSet(false, true)) {
                return;
            }
            long begun = System.nanoTime();
            boolean clean = running.shutdown();
            Duration budget = config.shutdown().readinessDelay().plus(config.shutdown().drainTimeout())
                    .minusNanos(System.nanoTime() - begun);
            boolean flushed = closeTelemetry(sdk, prom, budget.compareTo(TELEMETRY_FLUSH_MIN) < 0 ? TELEMETRY_FLUSH_MIN : budget);
            exitCode.set(clean ? EXIT_OK : EXIT_FAILURE);
            log.info("stopped", "clean", clean, "spans_flushed", flushed,
                    "shutdown_ms", Duration.ofNanos(System.nanoTime() - begun).toMillis(), "exit_code", exitCode.get());
            stopped.countDown();
        };
        signals.onShutdownRequest(shutdown);
        boolean warmedUp = true;
        if (warmup) {
            warmedUp = warmup(node, config, loggers.logger(Warmup.class), log);
            shutdown.run();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILURE;
        } finally {
            logging.stop();
        }
        return warmedUp ? exitCode.get() : EXIT_FAILURE;
    }

    /** Exercises the started node; false, after saying which step failed, if one did. */
    private boolean warmup(SignalingNode node, SignalingConfig config, Logger stepLog, Logger log) {
        long begun = System.nanoTime();
        try {
            List<String> steps = new Warmup(node.publicAddress(), node.adminAddress(), config, stepLog).run();
            log.info("warmup done", "steps", steps.size(),
                    "warmup_ms", Duration.ofNanos(System.nanoTime() - begun).toMillis());
            return true;
        } catch (Warmup.StepFailure e) {
            log.error("warmup failed", "step", e.step(), "reason", e.getMessage());
            err.println("signaling: warmup failed at step " + e.getMessage());
            return false;
        }
    }

    private static boolean closeTelemetry(OtelSdkSetup otel, PrometheusSetup prometheus, Duration budget) {
        boolean flushed = true;
        if (otel != null) {
            flushed = otel.shutdown(budget);
        }
        if (prometheus != null) {
            prometheus.close();
        }
        return flushed;
    }

    static LoggingSettings loggingSettings(SignalingConfig config) {
        Map<String, String> levels = new LinkedHashMap<>();
        config.logging().levels().forEach((logger, level) -> levels.put(logger, level.name()));
        if (!config.logging().accessLog()) {
            levels.put(StandardMiddleware.ACCESS_LOGGER, "OFF");
        }
        return new LoggingSettings(
                LoggingSettings.Format.parse(config.logging().format().name()),
                config.logging().level().name(),
                levels,
                config.logging().queueSize(),
                false);
    }

    /**
     * The listener's real bind address as a URL. A wildcard bind is said as configured
     * ({@code http://0.0.0.0:8080}: every interface; saying 127.0.0.1 there would hide that it is
     * reachable from the network), since a dual-stack JVM reports an IPv4 wildcard as {@code ::}.
     */
    static String url(java.net.InetSocketAddress address, String configuredHost) {
        String host = address.getAddress().isAnyLocalAddress() ? configuredHost : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + address.getPort();
    }
}
