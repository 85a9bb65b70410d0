package io.signaling.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import java.util.Objects;
import org.slf4j.ILoggerFactory;

/**
 * The one public entry point of this module: builds the logging, metrics and tracing port
 * adapters over the telemetry APIs. The back-ends are always handed in (an {@link ILoggerFactory},
 * a {@link MeterRegistry}, an {@link OpenTelemetry}); nothing here reads a global.
 *
 * <pre>{@code
 * LoggerFactory logs = Observability.slf4jLoggerFactory(org.slf4j.LoggerFactory.getILoggerFactory());
 * Metrics metrics   = Observability.micrometerMetrics(prometheusRegistry, logs.logger("metrics"));
 * Tracer tracer     = Observability.otelTracer(openTelemetrySdk, "io.signaling", "1.0.0");
 * }</pre>
 *
 * <p>All returned adapters are thread-safe and never throw while recording.
 */
public final class Observability {

    /** The instrumentation scope name used when none is given. */
    public static final String DEFAULT_INSTRUMENTATION_NAME = "io.signaling";

    /** The SLF4J MDC key holding the current span's trace id inside {@code Span.makeCurrent()}. */
    public static final String MDC_TRACE_ID = OtelSpan.MDC_TRACE_ID;

    /** The SLF4J MDC key holding the current span's span id inside {@code Span.makeCurrent()}. */
    public static final String MDC_SPAN_ID = OtelSpan.MDC_SPAN_ID;

    private Observability() {
    }

    /**
     * Loggers on SLF4J 2. Key/values go out as SLF4J key/value pairs; a child made by
     * {@link Logger#with} carries its pairs on every event.
     *
     * @param slf4j usually {@code org.slf4j.LoggerFactory.getILoggerFactory()}, taken at the
     *              application's edge so that this module holds no static binding
     */
    public static LoggerFactory slf4jLoggerFactory(ILoggerFactory slf4j) {
        return new Slf4jLoggerFactory(Objects.requireNonNull(slf4j, "slf4j"));
    }

    /**
     * Metrics on Micrometer: timers and summaries publish histogram buckets, gauges are held
     * strongly. Refused registrations are reported to {@code warnings} and record nothing.
     */
    public static Metrics micrometerMetrics(MeterRegistry registry, Logger warnings) {
        return new MicrometerMetrics(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(warnings, "warnings"));
    }

    /** As {@link #micrometerMetrics(MeterRegistry, Logger)}, dropping registration warnings. */
    public static Metrics micrometerMetrics(MeterRegistry registry) {
        return micrometerMetrics(registry, Logger.noop());
    }

    /**
     * A tracer on the OpenTelemetry API, propagating through the instance's
     * {@code ContextPropagators} (configure W3C trace context and baggage there). Making a span
     * current also puts {@code trace_id} and {@code span_id} into the SLF4J MDC for the scope.
     *
     * @param instrumentationVersion may be {@code null}
     */
    public static Tracer otelTracer(OpenTelemetry openTelemetry, String instrumentationName,
            String instrumentationVersion) {
        return new OtelTracer(Objects.requireNonNull(openTelemetry, "openTelemetry"),
                Objects.requireNonNull(instrumentationName, "instrumentationName"), instrumentationVersion);
    }

    /** As {@link #otelTracer(OpenTelemetry, String, String)} with scope {@value #DEFAULT_INSTRUMENTATION_NAME}. */
    public static Tracer otelTracer(OpenTelemetry openTelemetry) {
        return otelTracer(openTelemetry, DEFAULT_INSTRUMENTATION_NAME, null);
    }
}
