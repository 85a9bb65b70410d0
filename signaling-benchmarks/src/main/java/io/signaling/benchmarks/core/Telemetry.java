package io.signaling.benchmarks.core;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.signaling.app.telemetry.LogbackSetup;
import io.signaling.app.telemetry.LoggingSettings;
import io.signaling.app.telemetry.MetricsSettings;
import io.signaling.app.telemetry.OtelSdkSetup;
import io.signaling.app.telemetry.PrometheusSetup;
import io.signaling.app.telemetry.TracingSettings;
import io.signaling.observability.Observability;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;

import java.io.OutputStream;
import java.util.Map;

/**
 * The three telemetry adapters on the launcher's own back-ends, as production runs them: JSON
 * lines through the async appender (into a sink instead of stdout), the Prometheus registry, and
 * the OpenTelemetry SDK with the batch processor and an exporter that drops what it is given (so
 * the sampling ratio is honoured: the app's exporter {@code none} records nothing whatever the
 * ratio), or, with {@link #exporterNone()}, tracing exactly as the app's default.
 */
final class Telemetry implements AutoCloseable {

    final LoggerFactory loggers;
    final Metrics metrics;
    final Tracer tracer;
    private final LogbackSetup logging;
    private final PrometheusSetup prometheus;
    private final OtelSdkSetup otel;

    private Telemetry(String rootLevel, double samplingRatio, boolean exporterNone) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        this.logging = LogbackSetup.configure(
                new LoggingSettings(LoggingSettings.Format.JSON, rootLevel, Map.of(), LoggingSettings.DEFAULT_QUEUE_SIZE, false),
                context, OutputStream.nullOutputStream());
        this.prometheus = PrometheusSetup.create(MetricsSettings.of("bench", "bench-1"));
        TracingSettings tracing = new TracingSettings(TracingSettings.Exporter.NONE, samplingRatio,
                "bench", "bench", "bench-1", Map.of());
        this.otel = exporterNone ? OtelSdkSetup.create(tracing) : OtelSdkSetup.create(tracing,
                // No exporters: the SDK's no-op one, after the batch processor hands spans over as to a real one.
                SpanExporter.composite());
        this.loggers = Observability.slf4jLoggerFactory(context);
        this.metrics = Observability.micrometerMetrics(prometheus.registry());
        this.tracer = Observability.otelTracer(otel.openTelemetry(), "io.signaling.bench", "bench");
    }

    /** Everything on: INFO logs, every trace sampled. */
    static Telemetry full() {
        return new Telemetry("INFO", 1.0, false);
    }

    static Telemetry withLevel(String rootLevel) {
        return new Telemetry(rootLevel, 1.0, false);
    }

    static Telemetry withSampling(double ratio) {
        return new Telemetry("INFO", ratio, false);
    }

    /** The app's default tracing: exporter {@code none}, no SDK, ids only. */
    static Telemetry exporterNone() {
        return new Telemetry("INFO", 1.0, true);
    }

    PrometheusMeterRegistry registry() {
        return prometheus.registry();
    }

    @Override
    public void close() {
        otel.shutdown(java.time.Duration.ofSeconds(2));
        prometheus.close();
        logging.stop();
    }
}
