package io.signaling.ports.metrics;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Metrics} adapter passes. A subclass supplies the metrics under test.
 *
 * <p>These are the rules every implementation keeps, {@link Metrics#noop()} included. Metrics that
 * record also pass the read-back tests of {@link RecordingMetricsContract}, which extends this kit:
 * an implementation's test subclasses the one kit that applies, so no test is generated only to be
 * skipped.
 */
public abstract class MetricsContract {

    /** The metrics under test; a fresh, empty backend per test. */
    protected abstract Metrics metrics();

    @Test
    void everyMeterTypeAcceptsAnyInputWithoutThrowing() {
        Metrics metrics = metrics();
        assertThatCode(() -> {
            metrics.counter("c.any", null, Tags.empty()).increment(Double.POSITIVE_INFINITY);
            metrics.timer("t.any", null, Tags.empty()).recordNanos(Long.MAX_VALUE);
            metrics.summary("s.any", null, null, Tags.empty()).record(Double.NaN);
            metrics.summary("s.any", null, null, Tags.empty()).record(-1);
            metrics.gauge("g.any", null, Tags.empty(), () -> null);
        }).doesNotThrowAnyException();
    }
}
