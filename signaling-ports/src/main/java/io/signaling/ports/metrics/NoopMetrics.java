package io.signaling.ports.metrics;

import java.util.function.Supplier;

enum NoopMetrics implements Metrics, Metrics.Counter, Metrics.Timer, Metrics.Summary {
    INSTANCE;

    @Override
    public Counter counter(String name, String description, Tags tags) {
        return this;
    }

    @Override
    public Timer timer(String name, String description, Tags tags) {
        return this;
    }

    @Override
    public Summary summary(String name, String description, String baseUnit, Tags tags) {
        return this;
    }

    @Override
    public void gauge(String name, String description, Tags tags, Supplier<? extends Number> value) {
    }

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
