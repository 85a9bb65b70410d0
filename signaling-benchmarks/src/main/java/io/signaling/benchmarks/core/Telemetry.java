package io.signaling.benchmarks.core;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
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
 * the OpenTelemetry SDK with the batch processor and exporter {@code none}.
 */
final class Telemetry implements AutoCloseable {

    final LoggerFactory loggers;
    final Metrics metrics;
    final Tracer tracer;
    private final LogbackSetup logging;
    private final PrometheusSetup prometheus;
    private final OtelSdkSetup otel;

    private Telemetry(String rootLevel, double samplingRatio) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        this.logging = LogbackSetup.configure(
                new LoggingSettings(LoggingSettings.Format.JSON, rootLevel, Map.of(), LoggingSettings.DEFAULT_QUEUE_SIZE, false),
                context, OutputStream.nullOutputStream());
        this.prometheus = PrometheusSetup.create(MetricsSettings.of("bench", "bench-1"));
        this.otel = OtelSdkSetup.create(new TracingSettings(TracingSettings.Exporter.NONE, samplingRatio,
                "bench", "bench", "bench-1", Map.of()));
        this.loggers = Observability.slf4jLoggerFactory(context);
        this.metrics = Observability.micrometerMetrics(prometheus.registry());
        this.tracer = Observability.otelTracer(otel.sdk(), "io.signaling.bench", "bench");
    }

    /** Everything on: INFO logs, every trace sampled. */
    static Telemetry full() {
        return new Telemetry("INFO", 1.0);
    }

    static Telemetry withLevel(String rootLevel) {
        return new Telemetry(rootLevel, 1.0);
    }

    static Telemetry withSampling(double ratio) {
        return new Telemetry("INFO", ratio);
    }

    PrometheusMeterRegistry registry() {
        return prometheus.registry();
    }

    OpenTelemetrySdk sdk() {
        return otel.sdk();
    }

    @Override
    public void close() {
        otel.shutdown(java.time.Duration.ofSeconds(2));
        prometheus.close();
        logging.stop();
    }
}
