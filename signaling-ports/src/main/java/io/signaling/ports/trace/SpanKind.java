package io.signaling.ports.trace;

/** The role of a span in a trace, as in OpenTelemetry. */
public enum SpanKind {
    SERVER,
    CLIENT,
    INTERNAL,
    PRODUCER,
    CONSUMER
}
