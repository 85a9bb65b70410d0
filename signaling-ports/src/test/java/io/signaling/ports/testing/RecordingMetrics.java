package io.signaling.ports.testing;

import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A {@link Metrics} that keeps every meter in memory by name and tags, as a real registry would
 * (asking twice returns the same meter), and counts look-ups so tests can check caching.
 * Thread-safe.
 */
public final class RecordingMetrics implements Metrics {

    /** A meter's identity. */
    public record Id(String name, Tags tags) {
    }

    public static final class RecordedCounter implements Counter {
        private final DoubleAdder count = new DoubleAdder();

        @Override
        public void increment() {
            count.add(1);
        }

        @Override
        public void increment(double amount) {
            count.add(amount);
        }

        public double count() {
            return count.sum();
        }
    }

    public static final class RecordedTimer implements Timer {
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong totalNanos = new AtomicLong();

        @Override
        public void recordNanos(long nanos) {
            count.incrementAndGet();
            totalNanos.addAndGet(nanos);
        }

        public long count() {
            return count.get();
        }

        public long totalNanos() {
            return totalNanos.get();
        }
    }

    public static final class RecordedSummary implements Summary {
        private final AtomicLong count = new AtomicLong();
        private final DoubleAdder total = new DoubleAdder();
        private final List<Double> values = new CopyOnWriteArrayList<>();

        @Override
        public void record(double amount) {
            values.add(amount);
            count.incrementAndGet();
            total.add(amount);
        }

        /** Every recorded amount, in order. */
        public List<Double> values() {
            return List.copyOf(values);
        }

        public long count() {
            return count.get();
        }

        public double total() {
            return total.sum();
        }
    }

    private final ConcurrentMap<Id, RecordedCounter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Id, RecordedTimer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<Id, RecordedSummary> summaries = new ConcurrentHashMap<>();
    private final ConcurrentMap<Id, Supplier<? extends Number>> gauges = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    @Override
    public Counter counter(String name, String description, Tags tags) {
        lookups.incrementAndGet();
        return counters.computeIfAbsent(new Id(name, tags), id -> new RecordedCounter());
    }

    @Override
    public Timer timer(String name, String description, Tags tags) {
        lookups.incrementAndGet();
        return timers.computeIfAbsent(new Id(name, tags), id -> new RecordedTimer());
    }

    @Override
    public Summary summary(String name, String description, String baseUnit, Tags tags) {
        lookups.incrementAndGet();
        return summaries.computeIfAbsent(new Id(name, tags), id -> new RecordedSummary());
    }

    @Override
    public void gauge(String name, String description, Tags tags, Supplier<? extends Number> value) {
        gauges.put(new Id(name, tags), value);
    }

    /** How many times a counter, timer or summary was asked for. */
    public int lookups() {
        return lookups.get();
    }

    /** The timers of a name, keyed by their tags as maps. */
    public Map<Map<String, String>, RecordedTimer> timers(String name) {
        return select(timers, name);
    }

    public Map<Map<String, String>, RecordedCounter> counters(String name) {
        return select(counters, name);
    }

    /** The timer of a name whose tags include all the given key/value pairs (exactly one must). */
    public Optional<RecordedTimer> timer(String name, String... keyValues) {
        return find(timers, name, keyValues);
    }

    public Optional<RecordedCounter> counter(String name, String... keyValues) {
        return find(counters, name, keyValues);
    }

    public Optional<RecordedSummary> summary(String name, String... keyValues) {
        return find(summaries, name, keyValues);
    }

    /** The gauge's current value, sampled now. */
    public Optional<Double> gaugeValue(String name, String... keyValues) {
        return find(gauges, name, keyValues).map(s -> s.get().doubleValue());
    }

    /**
     * The total of the counter with exactly these tags, in this order (as {@link Tags#equals} compares);
     * 0 when no such counter was asked for.
     */
    public double count(String name, String... keyValues) {
        RecordedCounter counter = counters.get(new Id(name, Tags.of(keyValues)));
        return counter == null ? 0 : counter.count();
    }

    /** How many times the timer with exactly these tags recorded; 0 when no such timer was asked for. */
    public long timerCount(String name, String... keyValues) {
        RecordedTimer timer = timers.get(new Id(name, Tags.of(keyValues)));
        return timer == null ? 0 : timer.count();
    }

    /** The amounts of the summary with exactly these tags, in order; empty when no such summary was asked for. */
    public List<Double> summaryValues(String name, String... keyValues) {
        RecordedSummary summary = summaries.get(new Id(name, Tags.of(keyValues)));
        return summary == null ? List.of() : summary.values();
    }

    /** The value, sampled now, of the gauge with exactly these tags; fails when there is no such gauge. */
    public double gauge(String name, String... keyValues) {
        Supplier<? extends Number> gauge = gauges.get(new Id(name, Tags.of(keyValues)));
        if (gauge == null) {
            throw new AssertionError("no gauge " + name + Tags.of(keyValues) + " among " + gauges.keySet());
        }
        return gauge.get().doubleValue();
    }

    /** Whether the name, a tag key or a tag value of any meter contains this fragment (to prove none leaks). */
    public boolean anyIdContains(String fragment) {
        return Stream.of(counters.keySet(), timers.keySet(), summaries.keySet(), gauges.keySet())
                .flatMap(Set::stream)
                .anyMatch(id -> id.name().contains(fragment) || id.tags().asList().stream()
                        .anyMatch(t -> t.key().contains(fragment) || t.value().contains(fragment)));
    }

    private static <M> Map<Map<String, String>, M> select(Map<Id, M> meters, String name) {
        Map<Map<String, String>, M> result = new LinkedHashMap<>();
        meters.forEach((id, meter) -> {
            if (id.name().equals(name)) {
                result.put(tagMap(id.tags()), meter);
            }
        });
        return result;
    }

    private static <M> Optional<M> find(Map<Id, M> meters, String name, String... keyValues) {
        Map<String, String> wanted = tagMap(Tags.of(keyValues));
        M found = null;
        for (Map.Entry<Id, M> e : meters.entrySet()) {
            if (e.getKey().name().equals(name) && tagMap(e.getKey().tags()).entrySet().containsAll(wanted.entrySet())) {
                if (found != null) {
                    throw new AssertionError("more than one " + name + " meter matches " + wanted + ": " + meters.keySet());
                }
                found = e.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    private static Map<String, String> tagMap(Tags tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.asList().forEach(t -> map.put(t.key(), t.value()));
        return map;
    }
}
