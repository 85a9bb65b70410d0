package io.signaling.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency recorded in microseconds: a wait-free {@link Recorder} for the hot path, folded into
 * one total histogram by the single reader (progress ticks and the summary).
 */
final class Latency {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private Histogram interval;

    /** Records one sample; safe from any thread. */
    void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos / 1000));
    }

    /** Folds samples since the last call into the total; returns the interval's p99 in ms. */
    synchronized double tick() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1000.0;
    }

    synchronized Map<String, Object> summary() {
        tick();
        var m = new LinkedHashMap<String, Object>();
        m.put("count", total.getTotalCount());
        m.put("p50Ms", total.getValueAtPercentile(50) / 1000.0);
        m.put("p99Ms", total.getValueAtPercentile(99) / 1000.0);
        m.put("p999Ms", total.getValueAtPercentile(99.9) / 1000.0);
        m.put("maxMs", total.getMaxValue() / 1000.0);
        m.put("meanMs", total.getTotalCount() == 0 ? 0.0 : total.getMean() / 1000.0);
        return m;
    }
}
