package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SDK as built for the app, exporting into memory so sampling and propagation can be inspected. */
class OtelSdkSetupTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    @SuppressWarnings("deprecation") // keys() is still abstract, so it must be implemented
    static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** InMemorySpanExporter clears its spans on shutdown; this keeps them so shutdown's flush is visible. */
    private final InMemorySpanExporter memory = InMemorySpanExporter.create();
    private final List<SpanData> exported = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SpanExporter exporter = new SpanExporter() {
        @Override
        public CompletableResultCode export(java.util.Collection<SpanData> spans) {
            exported.addAll(spans);
            return memory.export(spans);
        }

        @Override
        public CompletableResultCode flush() {
            return memory.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return memory.shutdown();
        }
    };
    private OtelSdkSetup setup;

    @AfterEach
    void shutdown() {
        if (setup != null) {
            setup.shutdown(Duration.ofSeconds(10));
        }
    }

    private static TracingSettings settings(double ratio, Map<String, String> env) {
        return new TracingSettings(TracingSettings.Exporter.NONE, ratio, "signaling", "1.2.3", "node-1", env);
    }

    private Tracer tracer(double ratio) {
        setup = OtelSdkSetup.create(settings(ratio, Map.of()), exporter);
        return setup.openTelemetry().getTracer("test");
    }

    private Context extract(String traceparent) {
        return setup.openTelemetry().getPropagators().getTextMapPropagator()
                .extract(Context.root(), Map.of("traceparent", traceparent), MAP_GETTER);
    }

    private List<SpanData> flushed() {
        assertThat(setup.forceFlush(Duration.ofSeconds(10))).isTrue();
        return memory.getFinishedSpanItems();
    }

    @Test
    void ratioZeroRecordsNoNewTrace() {
        Tracer tracer = tracer(0.0);

        Span root = tracer.spanBuilder("GET /rooms").startSpan();
        root.end();

        assertThat(root.isRecording()).isFalse();
        assertThat(root.getSpanContext().isValid()).as("ids still exist for propagation and logs").isTrue();
        assertThat(flushed()).isEmpty();
    }

    @Test
    void ratioZeroStillHonoursASampledParent() {
        Tracer tracer = tracer(0.0);

        Span child = tracer.spanBuilder("GET /rooms").setParent(extract("00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01"))
                .startSpan();
        child.end();

        List<SpanData> spans = flushed();
        assertThat(spans).hasSize(1);
        assertThat(spans.get(0).getTraceId()).isEqualTo(TRACE_ID);
        assertThat(spans.get(0).getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(spans.get(0).getParentSpanContext().isRemote()).isTrue();
    }

    @Test
    void ratioOneStillHonoursAnUnsampledParent() {
        Tracer tracer = tracer(1.0);

        Span child = tracer.spanBuilder("GET /rooms").setParent(extract("00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-00"))
                .startSpan();
        child.end();
        tracer.spanBuilder("root").startSpan().end();

        List<SpanData> spans = flushed();
        assertThat(spans).extracting(SpanData::getName).containsExactly("root");
    }

    @Test
    void resourceNamesTheServiceAndEnvAttributesAreMergedUnderIt() {
        setup = OtelSdkSetup.create(settings(1.0, Map.of(
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging,service.name=ignored,team=rtc%20core")), exporter);
        setup.openTelemetry().getTracer("test").spanBuilder("s").startSpan().end();

        io.opentelemetry.api.common.Attributes resource = flushed().get(0).getResource().getAttributes();
        assertThat(resource.get(OtelSdkSetup.SERVICE_NAME)).isEqualTo("signaling");
        assertThat(resource.get(OtelSdkSetup.SERVICE_VERSION)).isEqualTo("1.2.3");
        assertThat(resource.get(OtelSdkSetup.SERVICE_INSTANCE_ID)).isEqualTo("node-1");
        assertThat(resource.get(io.opentelemetry.api.common.AttributeKey.stringKey("deployment.environment")))
                .isEqualTo("staging");
        assertThat(resource.get(io.opentelemetry.api.common.AttributeKey.stringKey("team"))).isEqualTo("rtc core");
        assertThat(resource.get(io.opentelemetry.api.common.AttributeKey.stringKey("telemetry.sdk.language")))
                .isEqualTo("java");
    }

    @Test
    void injectsW3cTraceContextAndBaggage() {
        Tracer tracer = tracer(1.0);
        Span span = tracer.spanBuilder("outgoing").startSpan();
        Context context = Context.root().with(span).with(Baggage.builder().put("room", "lobby").build());

        Map<String, String> headers = new HashMap<>();
        setup.openTelemetry().getPropagators().getTextMapPropagator().inject(context, headers, Map::put);
        span.end();

        assertThat(headers.get("traceparent"))
                .isEqualTo("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-"
                        + span.getSpanContext().getTraceFlags().asHex());
        assertThat(span.getSpanContext().isSampled()).isTrue();
        assertThat(headers.get("baggage")).isEqualTo("room=lobby");
        assertThat(setup.openTelemetry().getPropagators().getTextMapPropagator().fields())
                .contains("traceparent", "tracestate", "baggage");
    }

    @Test
    void shutdownFlushesPendingSpansAndIsIdempotent() {
        Tracer tracer = tracer(1.0);
        tracer.spanBuilder("pending").startSpan().end();

        // The batch processor's 5 s delay has not passed; only shutdown can have exported it.
        assertThat(setup.shutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(exported).extracting(SpanData::getName).containsExactly("pending");
        assertThat(setup.shutdown(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void noneExporterStillCreatesIdsButRecordsNothingAndBuildsNoSdk() {
        setup = OtelSdkSetup.create(settings(1.0, Map.of()));
        Tracer tracer = setup.openTelemetry().getTracer("test");
        Span root = tracer.spanBuilder("s").startSpan();
        // A sampled parent from upstream does not make this node record either.
        Span child = tracer.spanBuilder("GET /rooms")
                .setParent(extract("00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01")).startSpan();
        root.end();
        child.end();

        assertThat(root.getSpanContext().isValid()).as("ids exist for logs and traceresponse").isTrue();
        assertThat(root.getSpanContext().isSampled()).as("nothing to export to: not recorded").isFalse();
        assertThat(root.isRecording()).isFalse();
        assertThat(child.getSpanContext().getTraceId()).as("the caller's trace continues").isEqualTo(TRACE_ID);
        assertThat(child.getSpanContext().isSampled()).isFalse();
        assertThat(setup.sdk()).as("no SDK to load and build at start").isEmpty();
        assertThat(setup.openTelemetry()).isNotInstanceOf(io.opentelemetry.sdk.OpenTelemetrySdk.class);
    }

    @Test
    void loggingExporterWritesSpansToJavaUtilLogging() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(
                io.opentelemetry.exporter.logging.LoggingSpanExporter.class.getName());
        List<String> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level previous = jul.getLevel();
        jul.setLevel(java.util.logging.Level.INFO);
        jul.addHandler(handler);
        try {
            setup = OtelSdkSetup.create(new TracingSettings(TracingSettings.Exporter.LOGGING, 1.0, "signaling", "1",
                    "n", Map.of()));
            setup.openTelemetry().getTracer("test").spanBuilder("logged-span").startSpan().end();
            assertThat(setup.forceFlush(Duration.ofSeconds(10))).isTrue();
        } finally {
            jul.removeHandler(handler);
            jul.setLevel(previous);
        }
        assertThat(records).anyMatch(r -> r.contains("logged-span"));
    }

    @Test
    void badSettingsAreRejectedWithAPreciseMessage() {
        assertThatThrownBy(() -> settings(1.5, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> settings(Double.NaN, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> new TracingSettings(TracingSettings.Exporter.NONE, 1, " ", "1", "n", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service name");
        assertThatThrownBy(() -> TracingSettings.Exporter.parse("jaeger")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'jaeger'").hasMessageContaining("none, otlp or logging");
        assertThat(TracingSettings.Exporter.parse("OTLP")).isEqualTo(TracingSettings.Exporter.OTLP);
        assertThatThrownBy(() -> OtelSdkSetup.create(settings(1, Map.of("OTEL_RESOURCE_ATTRIBUTES", "novalue")), exporter))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OTEL_RESOURCE_ATTRIBUTES")
                .hasMessageContaining("'novalue'");
        assertThatThrownBy(() -> OtelSdkSetup.create(settings(1, Map.of("OTEL_BSP_MAX_QUEUE_SIZE", "-3")), exporter))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OTEL_BSP_MAX_QUEUE_SIZE");
    }
}
