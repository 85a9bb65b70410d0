package io.signaling.app.config;

/** {@code tracing.exporter}: where finished spans go. */
public enum TracingExporter {
    /** Spans are not exported (the tracer may still propagate context). */
    NONE,
    /** OTLP, configured by the standard {@code OTEL_EXPORTER_OTLP_*} variables. */
    OTLP,
    /** Spans written to the log, for local debugging. */
    LOGGING
}
