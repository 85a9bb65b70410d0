package io.signaling.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import java.util.Map;
import java.util.Objects;

/**
 * {@link Tracer} on the OpenTelemetry API. The {@link OpenTelemetry} instance is handed in, so the
 * embedding application chooses the SDK, exporters and propagators ({@code OpenTelemetry.noop()}
 * works and records nothing).
 */
final class OtelTracer implements Tracer {

    private final io.opentelemetry.api.trace.Tracer tracer;
    private final TextMapPropagator propagator;
    private final OtelAttributeKeys keys = new OtelAttributeKeys();

    OtelTracer(OpenTelemetry openTelemetry, String instrumentationName, String instrumentationVersion) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        Objects.requireNonNull(instrumentationName, "instrumentationName");
        var builder = openTelemetry.tracerBuilder(instrumentationName);
        if (instrumentationVersion != null) {
            builder.setInstrumentationVersion(instrumentationVersion);
        }
        this.tracer = builder.build();
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public SpanBuilder spanBuilder(String name) {
        return new OtelSpanBuilder(tracer.spanBuilder(name == null || name.isBlank() ? "unnamed" : name), keys);
    }

    @Override
    public void inject(TraceContext context, Map<String, String> carrier) {
        if (carrier == null) {
            return;
        }
        try {
            propagator.inject(OtelTraceContext.toOtel(context), carrier, MapSetter.INSTANCE);
        } catch (RuntimeException propagationFailure) {
            // An immutable carrier or a broken propagator must not fail the outgoing call.
        }
    }

    @Override
    public TraceContext extract(Map<String, String> carrier) {
        if (carrier == null || carrier.isEmpty()) {
            return TraceContext.invalid();
        }
        try {
            OtelTraceContext extracted =
                    new OtelTraceContext(propagator.extract(Context.root(), carrier, CaseInsensitiveGetter.INSTANCE));
            return extracted.isEmpty() ? TraceContext.invalid() : extracted;
        } catch (RuntimeException malformedCarrier) {
            return TraceContext.invalid();
        }
    }

    @Override
    public TraceContext current() {
        Context context = Context.current();
        io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.fromContext(context);
        if (span.isRecording()) {
            // The ids, not the live span: a caller may keep this context long after the span ended
            // (a native WebSocket keeps its upgrade's handshake, and with it this, for its life).
            context = context.with(io.opentelemetry.api.trace.Span.wrap(span.getSpanContext()));
        }
        OtelTraceContext current = new OtelTraceContext(context);
        return current.isEmpty() ? TraceContext.invalid() : current;
    }

    private enum MapSetter implements TextMapSetter<Map<String, String>> {
        INSTANCE;

        @Override
        public void set(Map<String, String> carrier, String key, String value) {
            if (carrier != null) {
                carrier.put(key, value);
            }
        }
    }

    /**
     * HTTP header names are case-insensitive, but a plain map is not: try the exact key first
     * (the cheap, common case), then scan for a case-insensitive match.
     */
    private enum CaseInsensitiveGetter implements TextMapGetter<Map<String, String>> {
        INSTANCE;

        // Deprecated in the API, but still what key-scanning propagators (prefix baggage) call.
        @Override
        @SuppressWarnings("deprecation")
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            if (carrier == null || key == null) {
                return null;
            }
            String exact = carrier.get(key);
            if (exact != null) {
                return exact;
            }
            for (Map.Entry<String, String> header : carrier.entrySet()) {
                if (header.getKey() != null && header.getKey().equalsIgnoreCase(key)) {
                    return header.getValue();
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return "OtelTracer[" + tracer + "]";
    }
}
