package io.signaling.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.RecordingMetricsContract;
import io.signaling.ports.metrics.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** The Micrometer adapter, on a real Prometheus registry, passes the metrics contract. */
class MicrometerMetricsContractTest extends RecordingMetricsContract {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Metrics metrics = Observability.micrometerMetrics(registry);

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Override
    protected Metrics metrics() {
        return metrics;
    }

    private static List<io.micrometer.core.instrument.Tag> tags(Tags tags) {
        List<io.micrometer.core.instrument.Tag> out = new ArrayList<>();
        tags.asList().forEach(t -> out.add(io.micrometer.core.instrument.Tag.of(t.key(), t.value())));
        return out;
    }

    @Override
    protected double counterValue(String name, Tags tags) {
        Counter counter = registry.find(name).tags(tags(tags)).counter();
        return counter == null ? Double.NaN : counter.count();
    }

    @Override
    protected long timerCount(String name, Tags tags) {
        Timer timer = registry.find(name).tags(tags(tags)).timer();
        return timer == null ? -1 : timer.count();
    }

    @Override
    protected double timerTotal(String name, Tags tags, TimeUnit unit) {
        Timer timer = registry.find(name).tags(tags(tags)).timer();
        return timer == null ? Double.NaN : timer.totalTime(unit);
    }

    @Override
    protected long summaryCount(String name, Tags tags) {
        DistributionSummary summary = registry.find(name).tags(tags(tags)).summary();
        return summary == null ? -1 : summary.count();
    }

    @Override
    protected double summaryTotal(String name, Tags tags) {
        DistributionSummary summary = registry.find(name).tags(tags(tags)).summary();
        return summary == null ? Double.NaN : summary.totalAmount();
    }

    @Override
    protected double gaugeValue(String name, Tags tags) {
        Gauge gauge = registry.find(name).tags(tags(tags)).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }
}
