package io.signaling.observability;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.TraceContext;
import java.util.Objects;

/** {@link SpanBuilder} over an OpenTelemetry span builder; not thread-safe, as the port says. */
final class OtelSpanBuilder implements SpanBuilder {

    private final io.opentelemetry.api.trace.SpanBuilder builder;
    private final OtelAttributeKeys keys;
    /** The context the span starts in; null means "current at start()". */
    private Context parent;

    OtelSpanBuilder(io.opentelemetry.api.trace.SpanBuilder builder, OtelAttributeKeys keys) {
        this.builder = Objects.requireNonNull(builder, "builder");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public SpanBuilder kind(SpanKind kind) {
        if (kind != null) {
            builder.setSpanKind(toOtel(kind));
        }
        return this;
    }

    @Override
    public SpanBuilder parent(TraceContext parent) {
        // Keep the whole context (baggage included), so that making the span current keeps it too.
        this.parent = OtelTraceContext.toOtel(parent);
        builder.setParent(this.parent);
        return this;
    }

    @Override
    public SpanBuilder noParent() {
        this.parent = Context.root();
        builder.setNoParent();
        return this;
    }

    @Override
    public SpanBuilder link(TraceContext linked) {
        if (linked != null && linked.isValid()) {
            SpanContext context = io.opentelemetry.api.trace.Span.fromContext(OtelTraceContext.toOtel(linked))
                    .getSpanContext();
            builder.addLink(context);
        }
        return this;
    }

    @Override
    public SpanBuilder attribute(String key, String value) {
        if (key != null && value != null) {
            builder.setAttribute(keys.string(key), value);
        }
        return this;
    }

    @Override
    public SpanBuilder attribute(String key, long value) {
        if (key != null) {
            builder.setAttribute(keys.longKey(key), value);
        }
        return this;
    }

    @Override
    public SpanBuilder attribute(String key, boolean value) {
        if (key != null) {
            builder.setAttribute(keys.booleanKey(key), value);
        }
        return this;
    }

    @Override
    public Span start() {
        Context base = parent != null ? parent : Context.current();
        try {
            io.opentelemetry.api.trace.Span span = builder.startSpan();
            return new OtelSpan(span, base.with(span), keys);
        } catch (RuntimeException sdkFailure) {
            // Tracing never fails the traced work: fall back to a span that records nothing.
            io.opentelemetry.api.trace.Span invalid = io.opentelemetry.api.trace.Span.getInvalid();
            return new OtelSpan(invalid, base.with(invalid), keys);
        }
    }

    static io.opentelemetry.api.trace.SpanKind toOtel(SpanKind kind) {
        return switch (kind) {
            case SERVER -> io.opentelemetry.api.trace.SpanKind.SERVER;
            case CLIENT -> io.opentelemetry.api.trace.SpanKind.CLIENT;
            case INTERNAL -> io.opentelemetry.api.trace.SpanKind.INTERNAL;
            case PRODUCER -> io.opentelemetry.api.trace.SpanKind.PRODUCER;
            case CONSUMER -> io.opentelemetry.api.trace.SpanKind.CONSUMER;
        };
    }
}
