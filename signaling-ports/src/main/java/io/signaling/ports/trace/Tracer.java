package io.signaling.ports.trace;

import java.util.Map;

/**
 * Starts spans and moves trace context across process boundaries.
 *
 * <p>Direction: outbound, implemented by a tracing adapter (OpenTelemetry) or {@link #noop()}.
 * Thread-safety: safe for concurrent use; never throws on the hot path (a broken carrier yields
 * {@link TraceContext#invalid()}).
 */
public interface Tracer {

    /** Starts building a span; nothing is recorded until {@link SpanBuilder#start()}. */
    SpanBuilder spanBuilder(String name);

    /** Writes the context ({@code traceparent}, {@code tracestate}, {@code baggage}) into a carrier. */
    void inject(TraceContext context, Map<String, String> carrier);

    /**
     * Reads a context from a carrier such as the request headers; header names are matched
     * case-insensitively. Returns {@link TraceContext#invalid()} when there is none.
     */
    TraceContext extract(Map<String, String> carrier);

    /** The context current on this thread, or {@link TraceContext#invalid()}. */
    TraceContext current();

    /** A tracer that records nothing, for running the core with no tracing adapter. */
    static Tracer noop() {
        return NoopTracer.INSTANCE;
    }
}
