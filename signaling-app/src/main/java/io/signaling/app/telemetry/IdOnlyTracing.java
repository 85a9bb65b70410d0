package io.signaling.app.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Tracing with the exporter {@code none}: the OpenTelemetry API without the SDK. Every span gets
 * ids as the SDK would give them (the caller's trace id and trace state when there is a valid
 * parent, a new random trace id otherwise, always a new random span id) and is never sampled or
 * recorded, so logs keep their {@code trace_id}/{@code span_id}, {@code traceresponse} names the
 * trace with flags {@code 00}, and propagation is unchanged. What it saves over the SDK with a
 * sampler that records nothing (docs/performance.md §4g): loading and building the SDK (about 100
 * classes by ready, 170 once connections have come, 2 MiB of RSS) and more than half of each
 * span's allocation.
 *
 * <p>Thread-safe and stateless apart from the propagators; ids come from {@link ThreadLocalRandom},
 * like the SDK's default id generator.
 */
final class IdOnlyTracing implements OpenTelemetry {

    private static final Provider PROVIDER = new Provider();

    private final ContextPropagators propagators;

    IdOnlyTracing(ContextPropagators propagators) {
        this.propagators = Objects.requireNonNull(propagators, "propagators");
    }

    @Override
    public TracerProvider getTracerProvider() {
        return PROVIDER;
    }

    @Override
    public ContextPropagators getPropagators() {
        return propagators;
    }

    @Override
    public String toString() {
        return "IdOnlyTracing{exporter=none}";
    }

    /** The one tracer, whatever the instrumentation's name or version: no span carries either. */
    private static final class Provider implements TracerProvider, TracerBuilder, Tracer {

        @Override
        public Tracer get(String instrumentationScopeName) {
            return this;
        }

        @Override
        public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
            return this;
        }

        @Override
        public TracerBuilder tracerBuilder(String instrumentationScopeName) {
            return this;
        }

        @Override
        public TracerBuilder setSchemaUrl(String schemaUrl) {
            return this;
        }

        @Override
        public TracerBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
            return this;
        }

        @Override
        public Tracer build() {
            return this;
        }

        @Override
        public SpanBuilder spanBuilder(String spanName) {
            return new Builder();
        }
    }

    /** Keeps only what decides the ids: the parent. */
    private static final class Builder implements SpanBuilder {
        private Context parent;
        private boolean noParent;

        @Override
        public SpanBuilder setParent(Context context) {
            // As the SDK: a null parent is ignored, tracing never fails the traced work.
            if (context != null) {
                this.parent = context;
                this.noParent = false;
            }
            return this;
        }

        @Override
        public SpanBuilder setNoParent() {
            this.noParent = true;
            this.parent = null;
            return this;
        }

        @Override
        public SpanBuilder addLink(SpanContext spanContext) {
            return this;
        }

        @Override
        public SpanBuilder addLink(SpanContext spanContext, Attributes attributes) {
            return this;
        }

        @Override
        public SpanBuilder setAttribute(String key, String value) {
            return this;
        }

        @Override
        public SpanBuilder setAttribute(String key, long value) {
            return this;
        }

        @Override
        public SpanBuilder setAttribute(String key, double value) {
            return this;
        }

        @Override
        public SpanBuilder setAttribute(String key, boolean value) {
            return this;
        }

        @Override
        public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
            return this;
        }

        @Override
        public SpanBuilder setSpanKind(SpanKind spanKind) {
            return this;
        }

        @Override
        public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
            return this;
        }

        @Override
        public Span startSpan() {
            Context context = noParent ? Context.root() : parent != null ? parent : Context.current();
            SpanContext from = Span.fromContext(context).getSpanContext();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String traceId;
            TraceState state;
            if (from.isValid()) {
                traceId = from.getTraceId();
                state = from.getTraceState();
            } else {
                long high;
                long low;
                do {
                    high = random.nextLong();
                    low = random.nextLong();
                } while (high == 0 && low == 0);
                traceId = TraceId.fromLongs(high, low);
                state = TraceState.getDefault();
            }
            long span;
            do {
                span = random.nextLong();
            } while (span == 0);
            return Span.wrap(SpanContext.create(traceId, SpanId.fromLong(span), TraceFlags.getDefault(), state));
        }
    }
}
