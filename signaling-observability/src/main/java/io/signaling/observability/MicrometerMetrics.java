package io.signaling.observability;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.signaling.ports.log.Logger;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link Metrics} on a Micrometer {@link MeterRegistry}.
 *
 * <p>Meters are cached by name and tags, so a per-event lookup costs one map hit. A meter the
 * registry refuses (the same name registered earlier as another meter type, or with other tag
 * keys where the registry forbids that) is reported once to {@code warnings} and replaced by a
 * no-op meter: a naming mistake must not fail a request.
 */
final class MicrometerMetrics implements Metrics {

    /** Latency histogram range: request and message handling from 1 ms to 10 s. */
    static final Duration TIMER_MIN = Duration.ofMillis(1);
    static final Duration TIMER_MAX = Duration.ofSeconds(10);

    /** Fixed buckets on top of the percentile histogram, so common SLO thresholds are exact. */
    static final Duration[] TIMER_SLOS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
    };

    /**
     * Summary buckets: powers of two from 1 to 16 Mi (25 buckets). Summaries hold sizes and counts
     * of any unit, where Micrometer's percentile buckets would publish over a hundred series.
     */
    static final double[] SUMMARY_BUCKETS = powersOfTwo(24);

    private record MeterKey(String name, Tags tags) {
    }

    private final MeterRegistry registry;
    private final Logger warnings;
    private final ConcurrentMap<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<MeterKey, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<MeterKey, Summary> summaries = new ConcurrentHashMap<>();
    /**
     * Holds every gauge supplier strongly. Micrometer's own strong reference covers registries
     * that honour it; this map also keeps the first registration authoritative for repeats.
     */
    private final ConcurrentMap<MeterKey, Supplier<? extends Number>> gauges = new ConcurrentHashMap<>();

    MicrometerMetrics(MeterRegistry registry, Logger warnings) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    @Override
    public Counter counter(String name, String description, Tags tags) {
        MeterKey key = key(name, tags);
        Counter cached = counters.get(key);
        return cached != null ? cached : counters.computeIfAbsent(key, k -> register(k, "counter", () ->
                new MicrometerCounter(io.micrometer.core.instrument.Counter.builder(k.name())
                        .description(description)
                        .tags(toMicrometer(k.tags()))
                        .register(registry)), NoopMeter.INSTANCE));
    }

    @Override
    public Timer timer(String name, String description, Tags tags) {
        MeterKey key = key(name, tags);
        Timer cached = timers.get(key);
        return cached != null ? cached : timers.computeIfAbsent(key, k -> register(k, "timer", () ->
                new MicrometerTimer(io.micrometer.core.instrument.Timer.builder(k.name())
                        .description(description)
                        .tags(toMicrometer(k.tags()))
                        .publishPercentileHistogram()
                        .minimumExpectedValue(TIMER_MIN)
                        .maximumExpectedValue(TIMER_MAX)
                        .serviceLevelObjectives(TIMER_SLOS)
                        .register(registry)), NoopMeter.INSTANCE));
    }

    @Override
    public Summary summary(String name, String description, String baseUnit, Tags tags) {
        MeterKey key = key(name, tags);
        Summary cached = summaries.get(key);
        return cached != null ? cached : summaries.computeIfAbsent(key, k -> register(k, "summary", () ->
                new MicrometerSummary(DistributionSummary.builder(k.name())
                        .description(description)
                        .baseUnit(baseUnit)
                        .tags(toMicrometer(k.tags()))
                        .serviceLevelObjectives(SUMMARY_BUCKETS)
                        .register(registry)), NoopMeter.INSTANCE));
    }

    @Override
    public void gauge(String name, String description, Tags tags, Supplier<? extends Number> value) {
        Objects.requireNonNull(value, "value");
        MeterKey key = key(name, tags);
        if (gauges.putIfAbsent(key, value) != null) {
            return;
        }
        register(key, "gauge", () -> Gauge.builder(key.name(), value, GaugeValue.INSTANCE)
                .description(description)
                .tags(toMicrometer(key.tags()))
                .strongReference(true)
                .register(registry), null);
    }

    private static MeterKey key(String name, Tags tags) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("metric name must not be blank");
        }
        return new MeterKey(name, tags == null ? Tags.empty() : tags);
    }

    private <T> T register(MeterKey key, String type, Supplier<T> registration, T fallback) {
        try {
            return registration.get();
        } catch (RuntimeException refused) {
            warnings.warn("metric registration refused; recording to a no-op " + type + " instead", refused,
                    "metric", key.name(), "tags", key.tags().toString(), "type", type);
            return fallback;
        }
    }

    private static double[] powersOfTwo(int maxExponent) {
        double[] buckets = new double[maxExponent + 1];
        for (int i = 0; i <= maxExponent; i++) {
            buckets[i] = Math.scalb(1.0, i);
        }
        return buckets;
    }

    private static List<Tag> toMicrometer(Tags tags) {
        List<Tags.Tag> list = tags.asList();
        List<Tag> out = new ArrayList<>(list.size());
        for (Tags.Tag tag : list) {
            out.add(Tag.of(tag.key(), tag.value()));
        }
        return out;
    }

    /** Reads a gauge supplier; a supplier that throws or yields null reads as NaN, not as an error. */
    private enum GaugeValue implements java.util.function.ToDoubleFunction<Supplier<? extends Number>> {
        INSTANCE;

        @Override
        public double applyAsDouble(Supplier<? extends Number> supplier) {
            try {
                Number n = supplier.get();
                return n == null ? Double.NaN : n.doubleValue();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }
    }

    private record MicrometerCounter(io.micrometer.core.instrument.Counter counter) implements Counter {
        @Override
        public void increment() {
            try {
                counter.increment();
            } catch (RuntimeException ignored) {
                // Recording never throws (port contract).
            }
        }

        @Override
        public void increment(double amount) {
            // Counters only go up: a negative or NaN amount is dropped rather than corrupting the series.
            if (!(amount > 0) || Double.isInfinite(amount)) {
                return;
            }
            try {
                counter.increment(amount);
            } catch (RuntimeException ignored) {
                // Recording never throws (port contract).
            }
        }
    }

    private record MicrometerTimer(io.micrometer.core.instrument.Timer timer) implements Timer {
        @Override
        public void recordNanos(long nanos) {
            if (nanos < 0) {
                return;
            }
            try {
                timer.record(nanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException ignored) {
                // Recording never throws (port contract).
            }
        }
    }

    private record MicrometerSummary(DistributionSummary summary) implements Summary {
        @Override
        public void record(double amount) {
            if (!(amount >= 0) || Double.isInfinite(amount)) {
                return;
            }
            try {
                summary.record(amount);
            } catch (RuntimeException ignored) {
                // Recording never throws (port contract).
            }
        }
    }

    private enum NoopMeter implements Counter, Timer, Summary {
        INSTANCE;

        @Override
        public void increment() {
        }

        @Override
        public void increment(double amount) {
        }

        @Override
        public void recordNanos(long nanos) {
        }

        @Override
        public void record(double amount) {
        }
    }

    @Override
    public String toString() {
        return "MicrometerMetrics[" + registry.getClass().getSimpleName() + "]";
    }
}
