package io.signaling.ports.trace;

/**
 * An opaque, immutable trace context (trace id, span id, flags, trace state and baggage) owned by
 * the tracing adapter; the core only reads the ids and passes the context on.
 */
public interface TraceContext {

    /** 32 lowercase hex characters, or 32 zeros when invalid. */
    String traceId();

    /** 16 lowercase hex characters, or 16 zeros when invalid. */
    String spanId();

    boolean isSampled();

    boolean isValid();

    static TraceContext invalid() {
        return NoopTracer.INVALID;
    }
}
