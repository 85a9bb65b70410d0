package io.signaling.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The OpenTelemetry adapter with the real SDK, together with the SLF4J adapter on Logback. */
@SuppressWarnings("try") // scopes are opened for their side effect on the current context
class OtelTracerTest {

    private static final String REMOTE_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String REMOTE_SPAN_ID = "00f067aa0ba902b7";

    private final OtelSdk otel = new OtelSdk();
    private final Tracer tracer = Observability.otelTracer(otel.sdk, "io.signaling.test", "1.2.3");
    private final LogbackCapture logback = new LogbackCapture();
    private final Logger log = Observability.slf4jLoggerFactory(logback.context).logger("traced");

    @AfterEach
    void close() {
        MDC.clear();
        logback.close();
        otel.close();
    }

    @Test
    void aSpansContextKeepsItsIdsButNotTheSpanItself() {
        Span open = tracer.spanBuilder("websocket.open").kind(SpanKind.SERVER).start();
        open.attribute("connection.id", "c-1");
        TraceContext kept = open.context();
        open.end();

        // A context kept for a connection's life must not keep the ended span and its attributes.
        io.opentelemetry.api.trace.Span inside = io.opentelemetry.api.trace.Span.fromContext(OtelTraceContext.toOtel(kept));
        assertThat(inside).isNotInstanceOf(io.opentelemetry.sdk.trace.ReadableSpan.class);
        assertThat(inside.isRecording()).isFalse();
        assertThat(inside.getSpanContext().getTraceId()).isEqualTo(kept.traceId());
        assertThat(inside.getSpanContext().getSpanId()).isEqualTo(kept.spanId());
        assertThat(kept.isSampled()).isTrue();
        assertThat(open.context()).isSameAs(kept);

        Span child = tracer.spanBuilder("websocket.message").parent(kept).link(kept).start();
        child.end();
        SpanData message = otel.exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("websocket.message")).findFirst().orElseThrow();
        assertThat(message.getParentSpanId()).isEqualTo(kept.spanId());
        assertThat(message.getTraceId()).isEqualTo(kept.traceId());
        assertThat(message.getLinks()).singleElement()
                .satisfies(link -> assertThat(link.getSpanContext().getSpanId()).isEqualTo(kept.spanId()));
    }

    @Test
    void theCurrentContextKeepsTheCurrentSpansIdsButNotTheSpan() {
        Span server = tracer.spanBuilder("GET /ws").kind(SpanKind.SERVER).start();
        TraceContext current;
        try (Scope ignored = server.makeCurrent()) {
            current = tracer.current();
        }
        server.end();

        io.opentelemetry.api.trace.Span inside = io.opentelemetry.api.trace.Span.fromContext(OtelTraceContext.toOtel(current));
        assertThat(inside.isRecording()).isFalse();
        assertThat(inside).isNotInstanceOf(io.opentelemetry.sdk.trace.ReadableSpan.class);
        assertThat(current.traceId()).isEqualTo(server.context().traceId());
        assertThat(current.spanId()).isEqualTo(server.context().spanId());
        assertThat(current.isSampled()).isTrue();

        Span open = tracer.spanBuilder("websocket.open").parent(current).start();
        open.end();
        assertThat(open.context().traceId()).isEqualTo(server.context().traceId());
        SpanData openData = otel.exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("websocket.open")).findFirst().orElseThrow();
        assertThat(openData.getParentSpanId()).isEqualTo(server.context().spanId());
    }

    @Test
    void logsWrittenInsideAScopeCarryTheSpansIdsInTheMdc() {
        Span server = tracer.spanBuilder("GET /rooms/{id}").kind(SpanKind.SERVER).start();
        try (Scope ignored = server.makeCurrent()) {
            log.info("handling", "room", "r-1");
        }
        log.info("after");
        server.end();

        ILoggingEvent inside = logback.events().get(0);
        assertThat(inside.getMDCPropertyMap())
                .containsEntry("trace_id", server.context().traceId())
                .containsEntry("span_id", server.context().spanId());
        assertThat(inside.getKeyValuePairs()).extracting(kv -> kv.key).containsExactly("room");
        ILoggingEvent after = logback.events().get(1);
        assertThat(after.getMDCPropertyMap()).doesNotContainKeys("trace_id", "span_id");
        assertThat(MDC.get("trace_id")).isNull();
    }

    @Test
    void nestedScopesRestoreTheOuterIdsAndForeignMdcEntriesSurvive() {
        MDC.put("request_id", "req-1");
        Span outer = tracer.spanBuilder("outer").start();
        Span inner;
        try (Scope ignored = outer.makeCurrent()) {
            inner = tracer.spanBuilder("inner").start();
            try (Scope alsoIgnored = inner.makeCurrent()) {
                log.info("inner");
            }
            log.info("outer again");
            inner.end();
        }
        outer.end();

        assertThat(logback.events().get(0).getMDCPropertyMap())
                .containsEntry("span_id", inner.context().spanId())
                .containsEntry("trace_id", outer.context().traceId())
                .containsEntry("request_id", "req-1");
        assertThat(logback.events().get(1).getMDCPropertyMap())
                .containsEntry("span_id", outer.context().spanId())
                .containsEntry("request_id", "req-1");
        assertThat(MDC.get("request_id")).isEqualTo("req-1");
        assertThat(MDC.get("span_id")).isNull();
    }

    @Test
    void aScopeOnAnotherThreadDoesNotLeakIntoThisOne() throws Exception {
        Span span = tracer.spanBuilder("elsewhere").start();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> seen = pool.submit(() -> {
                try (Scope ignored = span.makeCurrent()) {
                    return MDC.get("trace_id") + "/" + tracer.current().spanId();
                }
            });
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(span.context().traceId() + "/" + span.context().spanId());
            assertThat(MDC.get("trace_id")).isNull();
            assertThat(tracer.current().isValid()).isFalse();
        } finally {
            pool.shutdownNow();
            span.end();
        }
    }

    @Test
    void serverSpanFromIncomingHeadersKeepsTheRemoteParentAndTheInstrumentationScope() {
        Map<String, String> headers = new TreeMap<>(Map.of(
                "TRACEPARENT", "00-" + REMOTE_TRACE_ID + "-" + REMOTE_SPAN_ID + "-01",
                "User-Agent", "test"));
        Span server = tracer.spanBuilder("GET /health/ready").parent(tracer.extract(headers))
                .kind(SpanKind.SERVER).start();
        server.end();

        SpanData data = otel.exporter.getFinishedSpanItems().get(0);
        assertThat(data.getTraceId()).isEqualTo(REMOTE_TRACE_ID);
        assertThat(data.getParentSpanId()).isEqualTo(REMOTE_SPAN_ID);
        assertThat(data.getParentSpanContext().isRemote()).isTrue();
        assertThat(data.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.SERVER);
        assertThat(data.getInstrumentationScopeInfo().getName()).isEqualTo("io.signaling.test");
        assertThat(data.getInstrumentationScopeInfo().getVersion()).isEqualTo("1.2.3");
    }

    @Test
    void anUnsampledRemoteParentYieldsAValidButNonRecordingSpan() {
        TraceContext parent = tracer.extract(Map.of("traceparent", "00-" + REMOTE_TRACE_ID + "-" + REMOTE_SPAN_ID + "-00"));
        assertThat(parent.isValid()).isTrue();
        assertThat(parent.isSampled()).isFalse();

        Span span = tracer.spanBuilder("unsampled").parent(parent).start();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.context().traceId()).isEqualTo(REMOTE_TRACE_ID);
        try (Scope ignored = span.makeCurrent()) {
            log.info("still correlated");
        }
        span.end();

        assertThat(otel.exporter.getFinishedSpanItems()).isEmpty();
        assertThat(logback.events().get(0).getMDCPropertyMap()).containsEntry("trace_id", REMOTE_TRACE_ID);
    }

    @Test
    void aContextFromAnotherTracerIsInjectedByItsIds() {
        TraceContext foreign = new TraceContext() {
            @Override
            public String traceId() {
                return REMOTE_TRACE_ID;
            }

            @Override
            public String spanId() {
                return REMOTE_SPAN_ID;
            }

            @Override
            public boolean isSampled() {
                return true;
            }

            @Override
            public boolean isValid() {
                return true;
            }
        };
        Map<String, String> carrier = new HashMap<>();
        tracer.inject(foreign, carrier);
        assertThat(carrier).containsEntry("traceparent", "00-" + REMOTE_TRACE_ID + "-" + REMOTE_SPAN_ID + "-01");
    }

    @Test
    void baggageAloneIsExtractedButIsNotAValidSpanContext() {
        TraceContext onlyBaggage = tracer.extract(Map.of("baggage", "tenant=acme"));
        assertThat(onlyBaggage.isValid()).isFalse();
        Map<String, String> out = new HashMap<>();
        tracer.inject(onlyBaggage, out);
        assertThat(out).containsEntry("baggage", "tenant=acme").doesNotContainKey("traceparent");
    }
}
