package io.signaling.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TraceContext;
import java.util.Map;
import java.util.Objects;
import org.slf4j.MDC;

/**
 * {@link Span} over an OpenTelemetry span. Ending twice, and changes after the end, are ignored by
 * OpenTelemetry itself; this adapter only adds that none of its methods throws.
 */
final class OtelSpan implements Span {

    /** MDC keys, named as OpenTelemetry's own Logback MDC instrumentation names them. */
    static final String MDC_TRACE_ID = "trace_id";
    static final String MDC_SPAN_ID = "span_id";

    private final io.opentelemetry.api.trace.Span span;
    /** The parent context plus this span: what {@link #makeCurrent} installs ({@link #context} returns it with the span's ids in place of the span). */
    private final Context context;
    /**
     * Made on the first {@link #context} call, holding the span's ids only (a non-recording
     * wrapper), not the span: a context kept for a long time (a WebSocket connection links every
     * message span to its open span's) would otherwise keep the ended span, its attributes and
     * events reachable for as long (about 1 KB per connection).
     */
    private volatile OtelTraceContext traceContext;
    private final OtelAttributeKeys keys;

    OtelSpan(io.opentelemetry.api.trace.Span span, Context context, OtelAttributeKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.span = Objects.requireNonNull(span, "span");
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public Span attribute(String key, String value) {
        if (key != null && value != null) {
            span.setAttribute(keys.string(key), value);
        }
        return this;
    }

    @Override
    public Span attribute(String key, long value) {
        if (key != null) {
            span.setAttribute(keys.longKey(key), value);
        }
        return this;
    }

    @Override
    public Span attribute(String key, double value) {
        if (key != null) {
            span.setAttribute(keys.doubleKey(key), value);
        }
        return this;
    }

    @Override
    public Span attribute(String key, boolean value) {
        if (key != null) {
            span.setAttribute(keys.booleanKey(key), value);
        }
        return this;
    }

    @Override
    public Span event(String name, Map<String, ?> attributes) {
        if (name == null) {
            return this;
        }
        try {
            if (attributes == null || attributes.isEmpty()) {
                span.addEvent(name);
            } else {
                span.addEvent(name, toAttributes(attributes));
            }
        } catch (RuntimeException ignored) {
            // e.g. a value whose toString() throws; tracing never fails the traced work.
        }
        return this;
    }

    @Override
    public Span recordError(Throwable error) {
        if (error != null) {
            try {
                span.recordException(error);
            } catch (RuntimeException ignored) {
                // A throwable whose getMessage() or stack rendering throws.
            }
        }
        return this;
    }

    @Override
    public Span status(SpanStatus status, String description) {
        if (status != null) {
            StatusCode code = switch (status) {
                case UNSET -> StatusCode.UNSET;
                case OK -> StatusCode.OK;
                case ERROR -> StatusCode.ERROR;
            };
            if (description == null) {
                span.setStatus(code);
            } else {
                span.setStatus(code, description);
            }
        }
        return this;
    }

    @Override
    public void end() {
        try {
            span.end();
        } catch (RuntimeException ignored) {
            // A failing span processor must not fail the traced work.
        }
    }

    @Override
    public TraceContext context() {
        OtelTraceContext made = traceContext;
        if (made == null) {
            SpanContext ids = span.getSpanContext();
            // Racing first calls make equal contexts; either may be kept.
            made = new OtelTraceContext(ids.isValid() ? context.with(io.opentelemetry.api.trace.Span.wrap(ids)) : context);
            traceContext = made;
        }
        return made;
    }

    @Override
    public Scope makeCurrent() {
        String previousTraceId = MDC.get(MDC_TRACE_ID);
        String previousSpanId = MDC.get(MDC_SPAN_ID);
        io.opentelemetry.context.Scope otelScope = context.makeCurrent();
        try {
            SpanContext ids = span.getSpanContext();
            if (ids.isValid()) {
                MDC.put(MDC_TRACE_ID, ids.getTraceId());
                MDC.put(MDC_SPAN_ID, ids.getSpanId());
            } else {
                // Logs inside an invalid span must not claim the ids of an outer one.
                MDC.remove(MDC_TRACE_ID);
                MDC.remove(MDC_SPAN_ID);
            }
        } catch (RuntimeException mdcFailure) {
            // A broken MDC adapter costs the log correlation, never the traced work.
        }
        return new MdcScope(otelScope, previousTraceId, previousSpanId);
    }

    @Override
    public boolean isRecording() {
        return span.isRecording();
    }

    private static Attributes toAttributes(Map<String, ?> attributes) {
        AttributesBuilder builder = Attributes.builder();
        for (Map.Entry<String, ?> entry : attributes.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (key == null || value == null) {
                continue;
            }
            if (value instanceof String s) {
                builder.put(key, s);
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte) {
                builder.put(key, ((Number) value).longValue());
            } else if (value instanceof Double || value instanceof Float) {
                builder.put(key, ((Number) value).doubleValue());
            } else if (value instanceof Boolean b) {
                builder.put(key, b);
            } else {
                builder.put(key, String.valueOf(value));
            }
        }
        return builder.build();
    }

    @Override
    public String toString() {
        SpanContext ids = span.getSpanContext();
        return "OtelSpan[" + ids.getTraceId() + "/" + ids.getSpanId() + "]";
    }

    /** Closes the OpenTelemetry scope and puts back the MDC ids that were there before. */
    private static final class MdcScope implements Scope {
        private final io.opentelemetry.context.Scope otelScope;
        private final String previousTraceId;
        private final String previousSpanId;
        private boolean closed;

        MdcScope(io.opentelemetry.context.Scope otelScope, String previousTraceId, String previousSpanId) {
            this.otelScope = otelScope;
            this.previousTraceId = previousTraceId;
            this.previousSpanId = previousSpanId;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                otelScope.close();
            } finally {
                restore(MDC_TRACE_ID, previousTraceId);
                restore(MDC_SPAN_ID, previousSpanId);
            }
        }

        private static void restore(String key, String previous) {
            try {
                if (previous == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, previous);
                }
            } catch (RuntimeException mdcFailure) {
                // See makeCurrent.
            }
        }
    }
}
