package io.signaling.ports.trace;

import java.util.Map;

enum NoopTracer implements Tracer, SpanBuilder, Span {
    INSTANCE;

    static final TraceContext INVALID = new TraceContext() {
        @Override
        public String traceId() {
            return "00000000000000000000000000000000";
        }

        @Override
        public String spanId() {
            return "0000000000000000";
        }

        @Override
        public boolean isSampled() {
            return false;
        }

        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public String toString() {
            return "TraceContext[invalid]";
        }
    };

    @Override
    public SpanBuilder spanBuilder(String name) {
        return this;
    }

    @Override
    public void inject(TraceContext context, Map<String, String> carrier) {
    }

    @Override
    public TraceContext extract(Map<String, String> carrier) {
        return INVALID;
    }

    @Override
    public TraceContext current() {
        return INVALID;
    }

    @Override
    public SpanBuilder kind(SpanKind kind) {
        return this;
    }

    @Override
    public SpanBuilder parent(TraceContext parent) {
        return this;
    }

    @Override
    public SpanBuilder noParent() {
        return this;
    }

    @Override
    public SpanBuilder link(TraceContext linked) {
        return this;
    }

    @Override
    public NoopTracer attribute(String key, String value) {
        return this;
    }

    @Override
    public NoopTracer attribute(String key, long value) {
        return this;
    }

    @Override
    public NoopTracer attribute(String key, boolean value) {
        return this;
    }

    @Override
    public Span attribute(String key, double value) {
        return this;
    }

    @Override
    public Span start() {
        return this;
    }

    @Override
    public Span event(String name, Map<String, ?> attributes) {
        return this;
    }

    @Override
    public Span recordError(Throwable error) {
        return this;
    }

    @Override
    public Span status(SpanStatus status, String description) {
        return this;
    }

    @Override
    public void end() {
    }

    @Override
    public TraceContext context() {
        return INVALID;
    }

    @Override
    public Scope makeCurrent() {
        return Scope.NOOP;
    }

    @Override
    public boolean isRecording() {
        return false;
    }
}
