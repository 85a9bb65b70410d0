package io.signaling.ports.metrics;

import java.util.concurrent.TimeUnit;

/** The port's own no-op metrics pass the parts of the contract that apply to them. */
class NoopMetricsTest extends MetricsContract {

    @Override
    protected Metrics metrics() {
        return Metrics.noop();
    }

    @Override
    protected boolean records() {
        return false;
    }

    @Override
    protected double counterValue(String name, Tags tags) {
        return Double.NaN;
    }

    @Override
    protected long timerCount(String name, Tags tags) {
        return -1;
    }

    @Override
    protected double timerTotal(String name, Tags tags, TimeUnit unit) {
        return Double.NaN;
    }

    @Override
    protected long summaryCount(String name, Tags tags) {
        return -1;
    }

    @Override
    protected double summaryTotal(String name, Tags tags) {
        return Double.NaN;
    }

    @Override
    protected double gaugeValue(String name, Tags tags) {
        return Double.NaN;
    }
}
