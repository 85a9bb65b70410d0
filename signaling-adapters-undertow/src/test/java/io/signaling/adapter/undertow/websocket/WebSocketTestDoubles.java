package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.log.KeyValues;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;

/** Recording implementations of the telemetry ports, to observe what the adapter reports. */
public final class WebSocketTestDoubles {

    private WebSocketTestDoubles() {
    }

    /** Metrics kept in maps keyed by name and tags. */
    public static final class RecordingMetrics implements Metrics {
        final Map<String, DoubleAdder> counters = new ConcurrentHashMap<>();
        final Map<String, List<Double>> summaries = new ConcurrentHashMap<>();
        final Map<String, Supplier<? extends Number>> gauges = new ConcurrentHashMap<>();

        static String key(String name, Tags tags) {
            StringBuilder sb = new StringBuilder(name);
            tags.asList().forEach(t -> sb.append(',').append(t.key()).append('=').append(t.value()));
            return sb.toString();
        }

        double count(String name, String... tags) {
            DoubleAdder adder = counters.get(key(name, Tags.of(tags)));
            return adder == null ? 0 : adder.sum();
        }

        List<Double> recorded(String name, String... tags) {
            return summaries.getOrDefault(key(name, Tags.of(tags)), List.of());
        }

        double gauge(String name) {
            return gauges.get(key(name, Tags.empty())).get().doubleValue();
        }

        @Override
        public Counter counter(String name, String description, Tags tags) {
            DoubleAdder adder = counters.computeIfAbsent(key(name, tags), k -> new DoubleAdder());
            return new Counter() {
                @Override
                public void increment() {
                    adder.add(1);
                }

                @Override
                public void increment(double amount) {
                    adder.add(amount);
                }
            };
        }

        @Override
        public Timer timer(String name, String description, Tags tags) {
            return nanos -> { };
        }

        @Override
        public Summary summary(String name, String description, String baseUnit, Tags tags) {
            List<Double> values = summaries.computeIfAbsent(key(name, tags), k -> new CopyOnWriteArrayList<>());
            return values::add;
        }

        @Override
        public void gauge(String name, String description, Tags tags, Supplier<? extends Number> value) {
            gauges.put(key(name, tags), value);
        }
    }

    /** A log event with every key/value of the logger chain. */
    public record LogEvent(Logger.Level level, String message, Map<String, Object> keyValues) {
    }

    /** Loggers that keep every event, at every level. */
    public static final class RecordingLoggers implements LoggerFactory {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public Logger logger(String name) {
            return new RecordingLogger(KeyValues.NONE);
        }

        final class RecordingLogger implements Logger {
            private final Object[] context;

            RecordingLogger(Object[] context) {
                this.context = context;
            }

            @Override
            public boolean isEnabled(Level level) {
                return true;
            }

            @Override
            public void log(Level level, String message, Throwable error, Object[] keyValues) {
                Map<String, Object> all = new HashMap<>();
                KeyValues.forEach(KeyValues.concat(context, keyValues), all::put);
                events.add(new LogEvent(level, message, all));
            }

            @Override
            public Logger with(Object... keyValues) {
                return new RecordingLogger(KeyValues.concat(context, keyValues));
            }
        }
    }

    /** A finished or started span as the tracer saw it. */
    public static final class RecordedSpan implements Span {
        final String name;
        final SpanKind kind;
        final TraceContext parent;
        final List<TraceContext> links;
        final Map<String, Object> attributes = new ConcurrentHashMap<>();
        final TestContext context;
        volatile boolean ended;
        private final RecordingTracer tracer;

        RecordedSpan(RecordingTracer tracer, String name, SpanKind kind, TraceContext parent, List<TraceContext> links,
                     Map<String, Object> attributes) {
            this.tracer = tracer;
            this.name = name;
            this.kind = kind;
            this.parent = parent;
            this.links = links;
            this.attributes.putAll(attributes);
            String traceId = parent.isValid() ? parent.traceId() : hex(16);
            this.context = new TestContext(traceId, hex(8));
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
            return this;
        }

        @Override
        public void end() {
            ended = true;
        }

        @Override
        public TraceContext context() {
            return context;
        }

        @Override
        public Scope makeCurrent() {
            TraceContext previous = tracer.current.get();
            tracer.current.set(context);
            return () -> tracer.current.set(previous);
        }

        @Override
        public boolean isRecording() {
            return true;
        }
    }

    public record TestContext(String traceId, String spanId) implements TraceContext {
        @Override
        public boolean isSampled() {
            return true;
        }

        @Override
        public boolean isValid() {
            return true;
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A tracer that keeps every span and honours makeCurrent per thread. */
    public static final class RecordingTracer implements Tracer {
        final List<RecordedSpan> spans = new CopyOnWriteArrayList<>();
        final ThreadLocal<TraceContext> current = ThreadLocal.withInitial(TraceContext::invalid);

        @Override
        public SpanBuilder spanBuilder(String name) {
            return new SpanBuilder() {
                private SpanKind kind = SpanKind.INTERNAL;
                private TraceContext parent;
                private final List<TraceContext> links = new ArrayList<>();
                private final Map<String, Object> attributes = new HashMap<>();

                @Override
                public SpanBuilder kind(SpanKind kind) {
                    this.kind = kind;
                    return this;
                }

                @Override
                public SpanBuilder parent(TraceContext parent) {
                    this.parent = parent;
                    return this;
                }

                @Override
                public SpanBuilder noParent() {
                    this.parent = TraceContext.invalid();
                    return this;
                }

                @Override
                public SpanBuilder link(TraceContext linked) {
                    links.add(linked);
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
                    RecordedSpan span = new RecordedSpan(RecordingTracer.this, name, kind,
                            parent != null ? parent : current.get(), List.copyOf(links), attributes);
                    spans.add(span);
                    return span;
                }
            };
        }

        @Override
        public void inject(TraceContext context, Map<String, String> carrier) {
            carrier.put("traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
        }

        @Override
        public TraceContext extract(Map<String, String> carrier) {
            String traceparent = carrier.get("traceparent");
            if (traceparent == null) {
                return TraceContext.invalid();
            }
            String[] parts = traceparent.split("-");
            return parts.length == 4 ? new TestContext(parts[1], parts[2]) : TraceContext.invalid();
        }

        @Override
        public TraceContext current() {
            return current.get();
        }

        List<RecordedSpan> named(String name) {
            return spans.stream().filter(s -> s.name.equals(name)).toList();
        }
    }
}
