package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exporter {@code none}'s tracing against the SDK with a sampler that records nothing (what
 * {@code none} built before): the same ids in every case that decides them, nothing recorded.
 */
class IdOnlyTracingTest {

    private static final ContextPropagators W3C = ContextPropagators.create(TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
                    .addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
            .setPropagators(W3C).build();
    private final OpenTelemetry idOnly = new IdOnlyTracing(W3C);

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void aRootSpanGetsANewTraceAndIsNeitherSampledNorRecording() {
        Set<String> traces = new HashSet<>();
        Set<String> spans = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Span span = idOnly.getTracer("t").spanBuilder("root").setSpanKind(SpanKind.SERVER)
                    .setAttribute("k", "v").startSpan();
            SpanContext ids = span.getSpanContext();
            assertThat(ids.isValid()).isTrue();
            assertThat(ids.getTraceFlags()).isEqualTo(TraceFlags.getDefault());
            assertThat(span.isRecording()).isFalse();
            traces.add(ids.getTraceId());
            spans.add(ids.getSpanId());
            span.end();
        }
        assertThat(traces).as("a new random trace each time").hasSize(100);
        assertThat(spans).hasSize(100);
    }

    @Test
    void aRemoteParentsTraceAndTraceStateContinueAsInTheSdk() {
        Map<String, String> headers = Map.of("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01",
                "tracestate", "vendor=a1,other=b2", "baggage", "tenant=acme");
        for (OpenTelemetry otel : new OpenTelemetry[] {sdk, idOnly}) {
            Context parent = extract(otel, headers);
            Span child = otel.getTracer("t").spanBuilder("child").setParent(parent).startSpan();
            SpanContext ids = child.getSpanContext();
            assertThat(ids.getTraceId()).as(otel.toString()).isEqualTo(TRACE_ID);
            assertThat(ids.getSpanId()).isNotEqualTo(PARENT_SPAN_ID);
            assertThat(ids.isSampled()).as("nothing to export to: not sampled, whatever the caller says").isFalse();
            assertThat(ids.getTraceState().asMap()).containsOnly(Map.entry("vendor", "a1"), Map.entry("other", "b2"));
            assertThat(child.isRecording()).isFalse();
            // What goes downstream: the same trace, this span as parent, flags 00, baggage kept.
            Map<String, String> out = inject(otel, parent.with(child));
            assertThat(out.get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + ids.getSpanId() + "-00");
            assertThat(out.get("tracestate")).isEqualTo("vendor=a1,other=b2");
            assertThat(out.get("baggage")).isEqualTo("tenant=acme");
            child.end();
        }
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void theCurrentContextIsTheParentUnlessNoParentIsAsked() {
        for (OpenTelemetry otel : new OpenTelemetry[] {sdk, idOnly}) {
            Span outer = otel.getTracer("t").spanBuilder("outer").startSpan();
            try (Scope ignored = outer.makeCurrent()) {
                Span inner = otel.getTracer("t").spanBuilder("inner").startSpan();
                Span root = otel.getTracer("t").spanBuilder("root").setNoParent().startSpan();
                assertThat(inner.getSpanContext().getTraceId()).as(otel.toString())
                        .isEqualTo(outer.getSpanContext().getTraceId());
                assertThat(root.getSpanContext().getTraceId()).isNotEqualTo(outer.getSpanContext().getTraceId());
                Span reparented = otel.getTracer("t").spanBuilder("again").setNoParent().setParent(Context.root()
                        .with(outer)).startSpan();
                assertThat(reparented.getSpanContext().getTraceId()).isEqualTo(outer.getSpanContext().getTraceId());
            }
        }
    }

    @Test
    void aNullParentIsIgnoredAsTheSdkIgnoresIt() {
        for (OpenTelemetry otel : new OpenTelemetry[] {sdk, idOnly}) {
            Span outer = otel.getTracer("t").spanBuilder("outer").startSpan();
            try (Scope ignored = outer.makeCurrent()) {
                Span span = otel.getTracer("t").spanBuilder("s").setParent(null).startSpan();
                assertThat(span.getSpanContext().getTraceId()).as(otel.toString())
                        .isEqualTo(outer.getSpanContext().getTraceId());
            }
        }
    }

    @Test
    void anInvalidParentStartsANewTrace() {
        Context invalid = Context.root().with(Span.getInvalid()).with(Baggage.empty());
        Span span = idOnly.getTracer("t").spanBuilder("s").setParent(invalid).startSpan();
        assertThat(span.getSpanContext().isValid()).isTrue();
        assertThat(span.getSpanContext().getTraceId()).isNotEqualTo(Span.getInvalid().getSpanContext().getTraceId());
    }

    @Test
    void everyWayToATracerGivesOneThatMintsIds() {
        for (Function<OpenTelemetry, io.opentelemetry.api.trace.Tracer> way : java.util.List.<Function<OpenTelemetry,
                io.opentelemetry.api.trace.Tracer>>of(o -> o.getTracer("a"), o -> o.getTracer("a", "1"),
                o -> o.tracerBuilder("a").setInstrumentationVersion("1").setSchemaUrl("https://x").build(),
                o -> o.getTracerProvider().get("a", "1"))) {
            assertThat(way.apply(idOnly).spanBuilder("s").startSpan().getSpanContext().isValid()).isTrue();
        }
    }

    private static Context extract(OpenTelemetry otel, Map<String, String> headers) {
        return otel.getPropagators().getTextMapPropagator().extract(Context.root(), headers,
                OtelSdkSetupTest.MAP_GETTER);
    }

    private static Map<String, String> inject(OpenTelemetry otel, Context context) {
        Map<String, String> out = new HashMap<>();
        otel.getPropagators().getTextMapPropagator().inject(context, out, (carrier, k, v) -> carrier.put(k, v));
        return out;
    }
}
