package io.signaling.ports.trace;

/**
 * Options for a span about to start. Not thread-safe: build and start on one thread.
 * Without {@link #parent}, the span's parent is the context current on the calling thread.
 */
public interface SpanBuilder {

    SpanBuilder kind(SpanKind kind);

    /** Sets an explicit parent, e.g. one extracted from incoming headers. */
    SpanBuilder parent(TraceContext parent);

    /** Starts a new trace, ignoring the current context. */
    SpanBuilder noParent();

    /** Links to a context that is related but not the parent (the connection of a message). */
    SpanBuilder link(TraceContext linked);

    SpanBuilder attribute(String key, String value);

    SpanBuilder attribute(String key, long value);

    SpanBuilder attribute(String key, boolean value);

    Span start();
}
