package io.signaling.ports.metrics;

/** The port's own no-op metrics keep every rule of the contract; they record nothing to read back. */
class NoopMetricsTest extends MetricsContract {

    @Override
    protected Metrics metrics() {
        return Metrics.noop();
    }
}
