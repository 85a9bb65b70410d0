package io.signaling.benchmarks.core;

import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Question: what does recording one latency into a Prometheus-backed timer with a histogram cost,
 * when the caller holds the timer and when it looks the timer up by name and tags each time (as
 * the HTTP metrics middleware does for its per-request tags)?
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

    private static final Tags TAGS = Tags.of("method", "GET", "uri", "/rooms/{id}", "status", "200",
            "outcome", "SUCCESS", "exception", "none");

    private Telemetry backends;
    private Metrics metrics;
    private Metrics.Timer held;
    private long nanos = 1_234_567;

    @Setup(Level.Trial)
    public void setUp() {
        backends = Telemetry.full();
        metrics = backends.metrics;
        held = metrics.timer("http.server.requests", "HTTP server requests", TAGS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backends.close();
    }

    @Benchmark
    public void heldTimer() {
        held.recordNanos(nanos);
    }

    @Benchmark
    public void lookedUpTimer() {
        metrics.timer("http.server.requests", "HTTP server requests", TAGS).recordNanos(nanos);
    }
}
