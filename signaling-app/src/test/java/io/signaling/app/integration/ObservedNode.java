package io.signaling.app.integration;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.signaling.app.BuildInfo;
import io.signaling.app.Launcher;
import io.signaling.app.SignalingNode;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import io.signaling.app.config.SignalingConfig;
import io.signaling.app.telemetry.LogbackSetup;
import io.signaling.app.telemetry.LoggingSettings;
import io.signaling.app.telemetry.MetricsSettings;
import io.signaling.app.telemetry.PrometheusScrape;
import io.signaling.app.telemetry.PrometheusSetup;
import io.signaling.observability.Observability;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Router;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A started {@link SignalingNode} on free loopback ports with the launcher's real telemetry
 * back-ends, each kept where a test can read it: JSON log lines written by the launcher's own
 * Logback chain ({@code LogbackSetup}: async appender, {@code JsonLinesEncoder}) into memory, a
 * Prometheus registry scraped by the launcher's own {@code /metrics} handler, and an
 * OpenTelemetry SDK (W3C trace context and baggage) exporting into an {@link InMemorySpanExporter}.
 *
 * <p>Closing shuts the node down and releases every back-end. Not thread-safe to build; the
 * accessors are safe from any thread.
 */
final class ObservedNode implements AutoCloseable {

    static final BuildInfo BUILD = new BuildInfo("9.9.9-it", "abc1234");
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final LineCapture logOutput = new LineCapture();
    private final LoggerContext logContext = new LoggerContext();
    private final LogbackSetup logging;
    private final PrometheusSetup prometheus;
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk;
    private final SignalingNode node;
    private final ExecutorService clientExecutor = Executors.newFixedThreadPool(2);
    private final HttpClient http;

    private ObservedNode(Map<String, String> flags, List<Consumer<Router>> routes) throws Exception {
        ConfigRequest request = ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("server.worker-threads", "8")
                .withFlag("admin.host", "127.0.0.1")
                .withFlag("admin.port", "0")
                .withFlag("shutdown.drain-timeout", "5s");
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            request = request.withFlag(flag.getKey(), flag.getValue());
        }
        SignalingConfig config = new ConfigLoader().load(request);

        // MDC is process-wide in SLF4J (the span scope writes trace_id/span_id there), so the
        // private context reads the same adapter, as the launcher's global context does.
        logContext.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        this.logging = LogbackSetup.configure(new LoggingSettings(LoggingSettings.Format.JSON, "INFO", Map.of(),
                LoggingSettings.DEFAULT_QUEUE_SIZE, false), logContext, logOutput);
        LoggerFactory loggers = Observability.slf4jLoggerFactory(logContext);

        this.prometheus = PrometheusSetup.create(MetricsSettings.of("signaling", "it-node"));
        Metrics metrics = Observability.micrometerMetrics(prometheus.registry(), loggers.logger(Metrics.class));

        this.sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        Tracer tracer = Observability.otelTracer(sdk, "io.signaling", BUILD.version());

        SignalingNode.Builder builder = SignalingNode.builder(config)
                .loggers(loggers)
                .metrics(metrics)
                .tracer(tracer)
                .metricsScrape(prometheus.scrape().handler())
                .buildInfo(BUILD);
        routes.forEach(builder::publicRoutes);
        this.node = builder.build();
        this.http = HttpClient.newBuilder()
                .connectTimeout(HTTP_TIMEOUT)
                .executor(clientExecutor)
                .build();
        try {
            node.start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    static Builder builder() {
        return new Builder();
    }

    SignalingNode node() {
        return node;
    }

    HttpClient http() {
        return http;
    }

    InetSocketAddress publicAddress() {
        return node.publicAddress();
    }

    InetSocketAddress adminAddress() {
        return node.adminAddress().orElseThrow();
    }

    URI publicUri(String path) {
        return URI.create("http://127.0.0.1:" + publicAddress().getPort() + path);
    }

    URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + adminAddress().getPort() + path);
    }

    HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
        return send("GET", uri, headers);
    }

    HttpResponse<String> send(String method, URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A scrape of the admin {@code /metrics}, asserted to be a 200. */
    HttpResponse<String> scrape(String accept) throws IOException, InterruptedException {
        HttpResponse<String> response = accept == null
                ? get(adminUri("/metrics"))
                : get(adminUri("/metrics"), "Accept", accept);
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    /** Every log line so far, parsed. */
    List<JsonNode> logLines() {
        return logOutput.jsonLines();
    }

    /** The access log lines so far. */
    List<JsonNode> accessLines() {
        return logLines().stream()
                .filter(line -> "io.signaling.http.access".equals(line.path("logger").asText()))
                .collect(Collectors.toList());
    }

    String rawLog() {
        return String.join("\n", logOutput.lines());
    }

    List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    /** Forgets the spans finished so far, so a test can look at the next request's alone. */
    void clearSpans() {
        spans.reset();
    }

    /** Shuts the node down (idempotent) and releases every back-end. */
    @Override
    public void close() {
        try {
            node.shutdown();
        } finally {
            clientExecutor.shutdownNow();
            sdk.close();
            prometheus.close();
            logging.stop();
        }
    }

    /** Options of a test node: configuration flags and extra public routes. */
    static final class Builder {
        private final Map<String, String> flags = new LinkedHashMap<>();
        private final List<Consumer<Router>> routes = new ArrayList<>();

        /** A {@code --key=value} flag, e.g. {@code shutdown.readiness-delay}, {@code 2s}. */
        Builder flag(String key, String value) {
            flags.put(key, value);
            return this;
        }

        Builder routes(Consumer<Router> routes) {
            this.routes.add(routes);
            return this;
        }

        ObservedNode start() throws Exception {
            return new ObservedNode(flags, routes);
        }
    }
}
