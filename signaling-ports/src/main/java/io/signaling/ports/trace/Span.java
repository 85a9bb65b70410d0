package io.signaling.ports.trace;

import java.util.Map;

/**
 * One timed operation in a trace.
 *
 * <p>Thread-safety: a span may be ended from another thread than the one that started it;
 * setting attributes concurrently is allowed. Every method is a no-op after {@link #end()}.
 */
public interface Span {

    Span attribute(String key, String value);

    Span attribute(String key, long value);

    Span attribute(String key, double value);

    Span attribute(String key, boolean value);

    /** Adds a timestamped event with optional attributes (string, long, double or boolean values). */
    Span event(String name, Map<String, ?> attributes);

    default Span event(String name) {
        return event(name, Map.of());
    }

    /** Records an exception as an event; does not change the status. */
    Span recordError(Throwable error);

    Span status(SpanStatus status, String description);

    /** Ends the span; the first call counts. */
    void end();

    /** The span's context, to propagate or to link to. */
    TraceContext context();

    /**
     * Makes this span the current one on this thread until the scope closes, so that spans
     * started and logs written inside carry its ids. Use with try-with-resources.
     */
    Scope makeCurrent();

    /** Whether the span is being recorded (sampled); skip costly attributes when it is not. */
    boolean isRecording();

    /** A span that records nothing and whose scope changes nothing: for work that is not traced at all. */
    static Span noop() {
        return NoopTracer.INSTANCE;
    }
}
