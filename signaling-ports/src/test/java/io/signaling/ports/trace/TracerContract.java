package io.signaling.ports.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Tracer} adapter passes. A subclass supplies a tracer that samples
 * everything and propagates W3C {@code traceparent}/{@code tracestate} and W3C baggage, and reads
 * back the spans that ended.
 *
 * <p>These are the rules every tracer keeps, {@link Tracer#noop()} included. A tracer that exports
 * spans also passes the read-back tests of {@link RecordingTracerContract}, which extends this kit:
 * an implementation's test subclasses the one kit that applies, so no test is generated only to be
 * skipped.
 */
@SuppressWarnings("try") // scopes are opened for their side effect on the current context
public abstract class TracerContract {

    /** A W3C trace id and parent id from the specification's examples. */
    protected static final String REMOTE_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    protected static final String REMOTE_SPAN_ID = "00f067aa0ba902b7";
    protected static final String REMOTE_TRACEPARENT = "00-" + REMOTE_TRACE_ID + "-" + REMOTE_SPAN_ID + "-01";
    protected static final String INVALID_SPAN_ID = "0000000000000000";

    /** An event as exported. */
    public record FinishedEvent(String name, Map<String, Object> attributes) {
    }

    /**
     * A span as exported. Attribute values are {@code String}, {@code Long}, {@code Double} or
     * {@code Boolean}; a root span's parent id is {@value #INVALID_SPAN_ID}.
     */
    public record FinishedSpan(String name, SpanKind kind, String traceId, String spanId, String parentSpanId,
            SpanStatus status, String statusDescription, Map<String, Object> attributes,
            List<FinishedEvent> events, List<String> linkedSpanIds) {

        public boolean isRoot() {
            return INVALID_SPAN_ID.equals(parentSpanId);
        }

        public List<String> eventNames() {
            return events.stream().map(FinishedEvent::name).toList();
        }
    }

    /** The tracer under test; fresh per test, sampling everything. */
    protected abstract Tracer tracer();

    @Test
    void extractFromAnEmptyOrMalformedCarrierIsInvalidAndDoesNotThrow() {
        Tracer tracer = tracer();
        assertThat(tracer.extract(Map.of()).isValid()).isFalse();
        assertThat(tracer.extract(Map.of("traceparent", "garbage")).isValid()).isFalse();
        assertThat(tracer.extract(Map.of("traceparent", "00-" + "0".repeat(32) + "-" + REMOTE_SPAN_ID + "-01")).isValid())
                .isFalse();
        assertThat(tracer.extract(Map.of("traceparent", "00-xyz-" + REMOTE_SPAN_ID + "-01")).isValid()).isFalse();
        assertThat(tracer.extract(null).isValid()).isFalse();
        TraceContext invalid = tracer.extract(Map.of());
        assertThat(invalid.traceId()).isEqualTo("0".repeat(32));
        assertThat(invalid.spanId()).isEqualTo(INVALID_SPAN_ID);
    }

    @Test
    void injectingAnInvalidContextWritesNoTraceparent() {
        Map<String, String> carrier = new HashMap<>();
        tracer().inject(TraceContext.invalid(), carrier);
        assertThat(carrier).doesNotContainKey("traceparent");
    }

    @Test
    void lenientInputNeverThrows() {
        Tracer tracer = tracer();
        assertThatCode(() -> {
            Span span = tracer.spanBuilder("lenient")
                    .kind(null)
                    .parent(null)
                    .link(null)
                    .link(TraceContext.invalid())
                    .attribute(null, "v")
                    .attribute("k", (String) null)
                    .start();
            try (Scope scope = span.makeCurrent()) {
                span.attribute(null, 1L).attribute("k", (String) null);
                span.event(null).event("e", null);
                span.event("with-null-value", new HashMap<>(Map.of("a", "b"))).recordError(null).status(null, null);
                scope.close();
            }
            span.end();
            span.end();
            tracer.inject(span.context(), null);
            tracer.inject(null, new HashMap<>());
            tracer.inject(span.context(), Map.of());
        }).doesNotThrowAnyException();
    }
}
