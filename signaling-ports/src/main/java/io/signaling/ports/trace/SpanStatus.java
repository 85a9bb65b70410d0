package io.signaling.ports.trace;

/** The outcome of a span: unset (the default), ok, or error. */
public enum SpanStatus {
    UNSET,
    OK,
    ERROR
}
