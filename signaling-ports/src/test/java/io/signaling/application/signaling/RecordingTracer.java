package io.signaling.application.signaling;

import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tracer that keeps every ended span's name, attributes and status. */
final class RecordingTracer implements Tracer {

    record Ended(String name, Map<String, Object> attributes, SpanStatus status) {
    }

    final List<Ended> ended = new CopyOnWriteArrayList<>();

    @Override
    public SpanBuilder spanBuilder(String name) {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        return new SpanBuilder() {
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
            public SpanBuilder attribute(String key, String value) {
                attributes.put(key, value);
                return this;
            }

            @Override
            public SpanBuilder attribute(String key, long value) {
                attributes.put(key, value);
                return this;
            }

            @Override
            public SpanBuilder attribute(String key, boolean value) {
                attributes.put(key, value);
                return this;
            }

            @Override
            public Span start() {
                return new RecordingSpan(name, attributes);
            }
        };
    }

    private final class RecordingSpan implements Span {
        private final String name;
        private final Map<String, Object> attributes;
        private volatile SpanStatus status = SpanStatus.UNSET;
        private boolean done;

        RecordingSpan(String name, Map<String, Object> attributes) {
            this.name = name;
            this.attributes = attributes;
        }

        @Override
        public Span attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public Span attribute(String key, long value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public Span attribute(String key, double value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public Span attribute(String key, boolean value) {
            attributes.put(key, value);
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
            this.status = status;
            return this;
        }

        @Override
        public synchronized void end() {
            if (!done) {
                done = true;
                ended.add(new Ended(name, Map.copyOf(attributes), status));
            }
        }

        @Override
        public TraceContext context() {
            return TraceContext.invalid();
        }

        @Override
        public Scope makeCurrent() {
            return Scope.NOOP;
        }

        @Override
        public boolean isRecording() {
            return true;
        }
    }

    @Override
    public void inject(TraceContext context, Map<String, String> carrier) {
    }

    @Override
    public TraceContext extract(Map<String, String> carrier) {
        return TraceContext.invalid();
    }

    @Override
    public TraceContext current() {
        return TraceContext.invalid();
    }
}
