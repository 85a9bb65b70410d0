package io.signaling.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TracerContract.FinishedEvent;
import io.signaling.ports.trace.TracerContract.FinishedSpan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenTelemetry SDK (never registered globally) exporting synchronously to memory, with
 * W3C trace context and baggage propagation, as an application would configure it.
 */
final class OtelSdk implements AutoCloseable {

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk;

    OtelSdk() {
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
    }

    List<FinishedSpan> finishedSpans() {
        return exporter.getFinishedSpanItems().stream().map(OtelSdk::toFinished).toList();
    }

    static FinishedSpan toFinished(SpanData span) {
        List<FinishedEvent> events = span.getEvents().stream()
                .map((EventData e) -> new FinishedEvent(e.getName(), attributes(e.getAttributes())))
                .toList();
        List<String> links = span.getLinks().stream().map((LinkData l) -> l.getSpanContext().getSpanId()).toList();
        return new FinishedSpan(span.getName(), SpanKind.valueOf(span.getKind().name()), span.getTraceId(),
                span.getSpanId(), span.getParentSpanId(), SpanStatus.valueOf(span.getStatus().getStatusCode().name()),
                span.getStatus().getDescription().isEmpty() ? null : span.getStatus().getDescription(),
                attributes(span.getAttributes()), events, links);
    }

    private static Map<String, Object> attributes(io.opentelemetry.api.common.Attributes attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((AttributeKey<?> key, Object value) -> out.put(key.getKey(), value));
        return out;
    }

    @Override
    public void close() {
        sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
}
