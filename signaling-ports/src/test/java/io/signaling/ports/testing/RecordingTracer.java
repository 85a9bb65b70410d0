package io.signaling.ports.testing;

import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A {@link Tracer} that records spans in memory and propagates W3C {@code traceparent} only.
 * The current context is a thread-local, as in OpenTelemetry. Thread-safe.
 */
public final class RecordingTracer implements Tracer {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);

    /** A plain context. */
    public record Context(String traceId, String spanId, boolean isSampled) implements TraceContext {
        public Context {
            Objects.requireNonNull(traceId, "traceId");
            Objects.requireNonNull(spanId, "spanId");
        }

        @Override
        public boolean isValid() {
            return !traceId.equals(INVALID_TRACE) && !spanId.equals(INVALID_SPAN);
        }

        public String traceparent() {
            return "00-" + traceId + '-' + spanId + (isSampled ? "-01" : "-00");
        }
    }

    private final List<RecordedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<RecordedSpan> endedSpans = new CopyOnWriteArrayList<>();
    private final ThreadLocal<TraceContext> current = new ThreadLocal<>();
    private volatile boolean sampled = true;

    /** Whether new root spans are sampled; true by default. */
    public RecordingTracer sampled(boolean sampled) {
        this.sampled = sampled;
        return this;
    }

    /** Every started span, in start order. */
    public List<RecordedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Every started span with this name, in start order; empty when there is none. */
    public List<RecordedSpan> spans(String name) {
        return spans.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Every ended span, in the order they ended (which differs from start order when spans nest). */
    public List<RecordedSpan> ended() {
        return List.copyOf(endedSpans);
    }

    /** The one span with this name; fails when there is not exactly one. */
    public RecordedSpan span(String name) {
        List<RecordedSpan> found = spans.stream().filter(s -> s.name().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one span named '" + name + "', got " + spans);
        }
        return found.get(0);
    }

    public void clear() {
        spans.clear();
        endedSpans.clear();
    }

    @Override
    public SpanBuilder spanBuilder(String name) {
        return new Builder(Objects.requireNonNull(name, "name"));
    }

    @Override
    public void inject(TraceContext context, Map<String, String> carrier) {
        if (context != null && context.isValid()) {
            carrier.put("traceparent", "00-" + context.traceId() + '-' + context.spanId()
                    + (context.isSampled() ? "-01" : "-00"));
        }
    }

    @Override
    public TraceContext extract(Map<String, String> carrier) {
        if (carrier == null) {
            return TraceContext.invalid();
        }
        for (Map.Entry<String, String> e : carrier.entrySet()) {
            if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals("traceparent") && e.getValue() != null) {
                var m = TRACEPARENT.matcher(e.getValue().trim());
                if (m.matches()) {
                    Context c = new Context(m.group(1), m.group(2), (Integer.parseInt(m.group(3), 16) & 1) == 1);
                    return c.isValid() ? c : TraceContext.invalid();
                }
            }
        }
        return TraceContext.invalid();
    }

    @Override
    public TraceContext current() {
        TraceContext c = current.get();
        return c == null ? TraceContext.invalid() : c;
    }

    private static String hex(int chars) {
        StringBuilder sb = new StringBuilder(chars);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (sb.length() < chars) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        String s = sb.toString();
        return s.chars().allMatch(ch -> ch == '0') ? hex(chars) : s;
    }

    private final class Builder implements SpanBuilder {
        private final String name;
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private final List<TraceContext> links = new ArrayList<>();
        private SpanKind kind = SpanKind.INTERNAL;
        private TraceContext parent;
        private boolean noParent;

        Builder(String name) {
            this.name = name;
        }

        @Override
        public SpanBuilder kind(SpanKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        @Override
        public SpanBuilder parent(TraceContext parent) {
            this.parent = parent;
            this.noParent = false;
            return this;
        }

        @Override
        public SpanBuilder noParent() {
            this.noParent = true;
            this.parent = null;
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
            TraceContext p = noParent ? null : parent != null ? parent : current.get();
            if (p != null && !p.isValid()) {
                p = null;
            }
            Context context = p == null
                    ? new Context(hex(32), hex(16), sampled)
                    : new Context(p.traceId(), hex(16), p.isSampled());
            RecordedSpan span = new RecordedSpan(name, kind, p, List.copyOf(links), context, attributes);
            spans.add(span);
            return span;
        }
    }

    /** A recorded span; its getters are for assertions. */
    public final class RecordedSpan implements Span {
        private final String name;
        private final SpanKind kind;
        private final TraceContext parent;
        private final List<TraceContext> links;
        private final Context context;
        private final Map<String, Object> attributes;
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final List<Throwable> errors = new CopyOnWriteArrayList<>();
        private volatile SpanStatus status = SpanStatus.UNSET;
        private volatile String statusDescription;
        private final AtomicBoolean ended = new AtomicBoolean();

        RecordedSpan(String name, SpanKind kind, TraceContext parent, List<TraceContext> links, Context context,
                     Map<String, Object> attributes) {
            this.name = name;
            this.kind = kind;
            this.parent = parent;
            this.links = links;
            this.context = context;
            this.attributes = Collections.synchronizedMap(new LinkedHashMap<>(attributes));
        }

        public String name() {
            return name;
        }

        public SpanKind kind() {
            return kind;
        }

        /** The parent context, or {@code null} for a root span. */
        public TraceContext parent() {
            return parent;
        }

        public List<TraceContext> links() {
            return links;
        }

        public Map<String, Object> attributes() {
            synchronized (attributes) {
                return Map.copyOf(attributes);
            }
        }

        public Object attributeValue(String key) {
            return attributes.get(key);
        }

        public List<String> events() {
            return List.copyOf(events);
        }

        public List<Throwable> errors() {
            return List.copyOf(errors);
        }

        public SpanStatus status() {
            return status;
        }

        public String statusDescription() {
            return statusDescription;
        }

        public boolean isEnded() {
            return ended.get();
        }

        private Span put(String key, Object value) {
            if (!ended.get()) {
                attributes.put(key, value);
            }
            return this;
        }

        @Override
        public Span attribute(String key, String value) {
            return put(key, value);
        }

        @Override
        public Span attribute(String key, long value) {
            return put(key, value);
        }

        @Override
        public Span attribute(String key, double value) {
            return put(key, value);
        }

        @Override
        public Span attribute(String key, boolean value) {
            return put(key, value);
        }

        @Override
        public Span event(String name, Map<String, ?> attributes) {
            if (!ended.get()) {
                events.add(name);
            }
            return this;
        }

        @Override
        public Span recordError(Throwable error) {
            if (!ended.get()) {
                errors.add(error);
            }
            return this;
        }

        @Override
        public Span status(SpanStatus status, String description) {
            if (!ended.get()) {
                this.status = status;
                this.statusDescription = description;
            }
            return this;
        }

        @Override
        public void end() {
            if (ended.compareAndSet(false, true)) {
                endedSpans.add(this);
            }
        }

        @Override
        public Context context() {
            return context;
        }

        @Override
        public Scope makeCurrent() {
            TraceContext previous = current.get();
            current.set(context);
            return () -> {
                if (previous == null) {
                    current.remove();
                } else {
                    current.set(previous);
                }
            };
        }

        @Override
        public boolean isRecording() {
            return !ended.get() && context.isSampled();
        }

        @Override
        public String toString() {
            return "RecordedSpan[" + name + ", " + kind + ", " + context.traceparent() + "]";
        }
    }
}
