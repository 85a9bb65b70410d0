package io.signaling.observability;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.signaling.ports.trace.TraceContext;
import java.util.Objects;

/**
 * A {@link TraceContext} wrapping a whole OpenTelemetry {@link Context}, not only its span
 * context, so that trace state and baggage survive an extract, a span start and an inject.
 */
final class OtelTraceContext implements TraceContext {

    private final Context context;
    private final SpanContext spanContext;

    OtelTraceContext(Context context) {
        this.context = Objects.requireNonNull(context, "context");
        this.spanContext = Span.fromContext(context).getSpanContext();
    }

    /** The OpenTelemetry context behind any port context; foreign valid contexts keep their ids. */
    static Context toOtel(TraceContext context) {
        if (context instanceof OtelTraceContext otel) {
            return otel.context;
        }
        if (context == null || !context.isValid()) {
            return Context.root();
        }
        SpanContext remote = SpanContext.createFromRemoteParent(context.traceId(), context.spanId(),
                context.isSampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
        return Context.root().with(Span.wrap(remote));
    }

    Context otelContext() {
        return context;
    }

    SpanContext spanContext() {
        return spanContext;
    }

    /** Whether this context carries anything worth propagating (a span or baggage). */
    boolean isEmpty() {
        return !spanContext.isValid() && Baggage.fromContext(context).isEmpty();
    }

    @Override
    public String traceId() {
        return spanContext.getTraceId();
    }

    @Override
    public String spanId() {
        return spanContext.getSpanId();
    }

    @Override
    public boolean isSampled() {
        return spanContext.isSampled();
    }

    @Override
    public boolean isValid() {
        return spanContext.isValid();
    }

    @Override
    public String toString() {
        return "TraceContext[" + traceId() + "/" + spanId() + (isSampled() ? ", sampled" : "") + "]";
    }
}
