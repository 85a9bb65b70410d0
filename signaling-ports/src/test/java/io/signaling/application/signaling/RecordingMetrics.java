package io.signaling.application.signaling;

import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;

/** Metrics that remember what was recorded, by name and tags. */
final class RecordingMetrics implements Metrics {

    private final Map<String, DoubleAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> timerCounts = new ConcurrentHashMap<>();
    private final Map<String, Supplier<? extends Number>> gauges = new ConcurrentHashMap<>();

    private static String key(String name, Tags tags) {
        return name + tags;
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
        AtomicLong count = timerCounts.computeIfAbsent(key(name, tags), k -> new AtomicLong());
        return nanos -> count.incrementAndGet();
    }

    @Override
    public Summary summary(String name, String description, String baseUnit, Tags tags) {
        return amount -> { };
    }

    @Override
    public void gauge(String name, String description, Tags tags, Supplier<? extends Number> value) {
        gauges.put(key(name, tags), value);
    }

    double count(String name, String... tags) {
        DoubleAdder adder = counters.get(key(name, Tags.of(tags)));
        return adder == null ? 0 : adder.sum();
    }

    long timerCount(String name) {
        AtomicLong count = timerCounts.get(key(name, Tags.empty()));
        return count == null ? 0 : count.get();
    }

    double gauge(String name) {
        return gauges.get(key(name, Tags.empty())).get().doubleValue();
    }

    boolean anyTagValueContains(String fragment) {
        return counters.keySet().stream().anyMatch(k -> k.contains(fragment))
                || timerCounts.keySet().stream().anyMatch(k -> k.contains(fragment));
    }
}
