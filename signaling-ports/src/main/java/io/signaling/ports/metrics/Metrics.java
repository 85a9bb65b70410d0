package io.signaling.ports.metrics;

import java.util.function.Supplier;

/**
 * The metrics the core records, without naming a metrics library.
 *
 * <p>Direction: outbound, implemented by a metrics adapter (Micrometer) or {@link #noop()}.
 * Names are dotted and unit-less ({@code http.server.requests}); the adapter renders them in its
 * backend's convention (Prometheus: {@code http_server_requests_seconds},
 * {@code signaling_messages_total}). Thread-safety: safe for concurrent use. Asking twice for the
 * same name and tags returns an equivalent meter, so callers may look meters up per event, but
 * should hold on to meters with fixed tags. Recording never throws.
 */
public interface Metrics {

    Counter counter(String name, String description, Tags tags);

    /** A timer with a latency histogram (buckets suited to request and message latencies). */
    Timer timer(String name, String description, Tags tags);

    /** A distribution of sizes or counts ({@code websocket.message.bytes}), with a histogram. */
    Summary summary(String name, String description, String baseUnit, Tags tags);

    /**
     * A gauge sampled from {@code value} at each scrape. The supplier must be cheap and must not
     * throw; the metrics adapter holds it strongly for the lifetime of the registry.
     */
    void gauge(String name, String description, Tags tags, Supplier<? extends Number> value);

    /** Metrics that record nothing, for running the core with no metrics adapter. */
    static Metrics noop() {
        return NoopMetrics.INSTANCE;
    }

    /** A monotonically increasing count. */
    interface Counter {
        void increment();

        void increment(double amount);
    }

    /** Latencies. */
    interface Timer {
        void recordNanos(long nanos);

        default void record(java.time.Duration duration) {
            recordNanos(duration.toNanos());
        }
    }

    /** Sizes. */
    interface Summary {
        void record(double amount);
    }
}
