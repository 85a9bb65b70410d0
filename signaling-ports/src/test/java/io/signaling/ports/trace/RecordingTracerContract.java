package io.signaling.ports.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The read-back part of the {@link Tracer} contract, for adapters that export spans: a subclass
 * supplies a tracer that samples everything and propagates W3C {@code traceparent}/{@code tracestate}
 * and W3C baggage, and reads back the spans that ended. Includes every rule of {@link TracerContract}.
 */
@SuppressWarnings("try") // scopes are opened for their side effect on the current context
public abstract class RecordingTracerContract extends TracerContract {

    /** The spans ended so far, in the order they ended. */
    protected abstract List<FinishedSpan> finishedSpans();

    protected FinishedSpan only(String name) {
        List<FinishedSpan> matching = finishedSpans().stream().filter(s -> s.name().equals(name)).toList();
        assertThat(matching).as("finished spans named %s", name).hasSize(1);
        return matching.get(0);
    }

    @Test
    void aStartedSpanIsExportedWithNameKindAndAttributesWhenItEnds() {
        Span span = tracer().spanBuilder("GET /health/ready")
                .kind(SpanKind.SERVER)
                .attribute("http.request.method", "GET")
                .attribute("server.port", 8080L)
                .attribute("retry", false)
                .start();
        assertThat(span.isRecording()).isTrue();
        span.attribute("http.response.status_code", 200L).attribute("ratio", 0.5).attribute("cached", true)
                .attribute("http.route", "/health/ready");
        assertThat(finishedSpans()).as("nothing is exported before end").isEmpty();
        span.end();

        FinishedSpan done = only("GET /health/ready");
        assertThat(done.kind()).isEqualTo(SpanKind.SERVER);
        assertThat(done.isRoot()).isTrue();
        assertThat(done.traceId()).isEqualTo(span.context().traceId()).matches("[0-9a-f]{32}");
        assertThat(done.spanId()).isEqualTo(span.context().spanId()).matches("[0-9a-f]{16}");
        assertThat(done.attributes())
                .containsEntry("http.request.method", "GET")
                .containsEntry("server.port", 8080L)
                .containsEntry("retry", false)
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("ratio", 0.5)
                .containsEntry("cached", true)
                .containsEntry("http.route", "/health/ready");
    }

    @Test
    void spansStartedInsideAScopeNestUnderTheCurrentSpan() {
        Tracer tracer = tracer();
        Span outer = tracer.spanBuilder("outer").start();
        try (Scope ignored = outer.makeCurrent()) {
            assertThat(tracer.current().spanId()).isEqualTo(outer.context().spanId());
            Span inner = tracer.spanBuilder("inner").start();
            try (Scope alsoIgnored = inner.makeCurrent()) {
                assertThat(tracer.current().spanId()).isEqualTo(inner.context().spanId());
            }
            assertThat(tracer.current().spanId()).as("inner scope restored the outer span").isEqualTo(outer.context().spanId());
            inner.end();
        }
        outer.end();
        assertThat(tracer.current().isValid()).as("no span current after the outer scope").isFalse();

        FinishedSpan inner = only("inner");
        FinishedSpan outerDone = only("outer");
        assertThat(inner.traceId()).isEqualTo(outerDone.traceId());
        assertThat(inner.parentSpanId()).isEqualTo(outerDone.spanId());
        assertThat(outerDone.isRoot()).isTrue();
    }

    @Test
    void anExplicitParentWinsOverTheCurrentSpan() {
        Tracer tracer = tracer();
        TraceContext remote = tracer.extract(Map.of("traceparent", REMOTE_TRACEPARENT));
        Span current = tracer.spanBuilder("current").start();
        try (Scope ignored = current.makeCurrent()) {
            tracer.spanBuilder("child-of-remote").parent(remote).kind(SpanKind.SERVER).start().end();
        }
        current.end();

        FinishedSpan child = only("child-of-remote");
        assertThat(child.traceId()).isEqualTo(REMOTE_TRACE_ID);
        assertThat(child.parentSpanId()).isEqualTo(REMOTE_SPAN_ID);
    }

    @Test
    void noParentStartsANewTraceEvenInsideAScope() {
        Tracer tracer = tracer();
        Span current = tracer.spanBuilder("current").start();
        try (Scope ignored = current.makeCurrent()) {
            tracer.spanBuilder("fresh").noParent().start().end();
        }
        current.end();

        FinishedSpan fresh = only("fresh");
        assertThat(fresh.isRoot()).isTrue();
        assertThat(fresh.traceId()).isNotEqualTo(only("current").traceId());
    }

    @Test
    void injectThenExtractKeepsTraceAndSpanIds() {
        Tracer tracer = tracer();
        Span client = tracer.spanBuilder("call").kind(SpanKind.CLIENT).start();
        Map<String, String> headers = new HashMap<>();
        tracer.inject(client.context(), headers);
        client.end();

        assertThat(headers).containsKey("traceparent");
        TraceContext extracted = tracer.extract(headers);
        assertThat(extracted.isValid()).isTrue();
        assertThat(extracted.traceId()).isEqualTo(client.context().traceId());
        assertThat(extracted.spanId()).isEqualTo(client.context().spanId());
        assertThat(extracted.isSampled()).isTrue();

        tracer.spanBuilder("server").parent(extracted).kind(SpanKind.SERVER).start().end();
        assertThat(only("server").parentSpanId()).isEqualTo(client.context().spanId());
        assertThat(only("server").traceId()).isEqualTo(client.context().traceId());
    }

    @Test
    void extractMatchesHeaderNamesCaseInsensitively() {
        TraceContext extracted = tracer().extract(Map.of("TraceParent", REMOTE_TRACEPARENT, "Content-Type", "text/plain"));
        assertThat(extracted.isValid()).isTrue();
        assertThat(extracted.traceId()).isEqualTo(REMOTE_TRACE_ID);
        assertThat(extracted.spanId()).isEqualTo(REMOTE_SPAN_ID);
    }

    @Test
    void traceStateAndBaggageSurviveExtractStartAndInject() {
        Tracer tracer = tracer();
        TraceContext incoming = tracer.extract(Map.of(
                "traceparent", REMOTE_TRACEPARENT,
                "tracestate", "vendor=opaque-value",
                "baggage", "tenant=acme"));
        Span server = tracer.spanBuilder("server").parent(incoming).start();
        Map<String, String> outgoing = new HashMap<>();
        tracer.inject(server.context(), outgoing);
        Map<String, String> fromScope = new HashMap<>();
        try (Scope ignored = server.makeCurrent()) {
            tracer.inject(tracer.current(), fromScope);
        }
        server.end();

        for (Map<String, String> carrier : List.of(outgoing, fromScope)) {
            assertThat(carrier.get("traceparent")).startsWith("00-" + REMOTE_TRACE_ID + "-")
                    .doesNotContain(REMOTE_SPAN_ID);
            assertThat(carrier.get("tracestate")).isEqualTo("vendor=opaque-value");
            assertThat(carrier.get("baggage")).contains("tenant=acme");
        }
    }

    @Test
    void statusAndRecordedErrorsAreExported() {
        Tracer tracer = tracer();
        Span failed = tracer.spanBuilder("failed").start();
        failed.recordError(new IllegalStateException("boom"));
        failed.status(SpanStatus.ERROR, "handler failed");
        failed.end();
        Span recovered = tracer.spanBuilder("recovered").start();
        recovered.recordError(new IllegalArgumentException("retry"));
        recovered.end();
        tracer.spanBuilder("ok").start().status(SpanStatus.OK, null).end();

        assertThat(only("failed").status()).isEqualTo(SpanStatus.ERROR);
        assertThat(only("failed").statusDescription()).isEqualTo("handler failed");
        assertThat(only("failed").eventNames()).containsExactly("exception");
        assertThat(only("recovered").status()).as("recordError does not change the status").isEqualTo(SpanStatus.UNSET);
        assertThat(only("recovered").eventNames()).containsExactly("exception");
        assertThat(only("ok").status()).isEqualTo(SpanStatus.OK);
    }

    @Test
    void eventsCarryTheirAttributes() {
        Span span = tracer().spanBuilder("relay").start();
        span.event("queued");
        span.event("sent", Map.of("bytes", 512L, "peer_count", 3, "ratio", 0.25, "final", true, "type", "offer"));
        span.end();

        List<FinishedEvent> events = only("relay").events();
        assertThat(events).extracting(FinishedEvent::name).containsExactly("queued", "sent");
        assertThat(events.get(1).attributes())
                .containsEntry("bytes", 512L)
                .containsEntry("peer_count", 3L)
                .containsEntry("ratio", 0.25)
                .containsEntry("final", true)
                .containsEntry("type", "offer");
    }

    @Test
    void linksPointAtTheLinkedSpan() {
        Tracer tracer = tracer();
        Span connection = tracer.spanBuilder("connection").start();
        tracer.spanBuilder("message").noParent().link(connection.context()).start().end();
        connection.end();

        assertThat(only("message").linkedSpanIds()).containsExactly(connection.context().spanId());
    }

    @Test
    void aSpanEndsOnceAndIgnoresChangesAfterwards() {
        Span span = tracer().spanBuilder("once").start();
        span.end();
        span.attribute("late", "value").status(SpanStatus.ERROR, "late").event("late");
        span.end();

        FinishedSpan done = only("once");
        assertThat(done.attributes()).doesNotContainKey("late");
        assertThat(done.status()).isEqualTo(SpanStatus.UNSET);
        assertThat(done.events()).isEmpty();
        assertThat(span.isRecording()).isFalse();
    }

}
