package io.signaling.benchmarks.core;

import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.Tracer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Question: what does one span (start, two attributes, make current, end) cost with the no-op
 * tracer, with the SDK sampling every trace (batch processor, an exporter that drops them), with
 * the SDK sampling none, and with the app's exporter {@code none} (no SDK: ids only)?
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TracerBenchmark {

    @Param({"noop", "sdk-sampled", "sdk-not-sampled", "exporter-none"})
    public String tracer;

    private Telemetry backends;
    private Tracer subject;

    @Setup(Level.Trial)
    public void setUp() {
        switch (tracer) {
            case "noop" -> subject = Tracer.noop();
            case "sdk-sampled" -> {
                backends = Telemetry.withSampling(1.0);
                subject = backends.tracer;
            }
            case "sdk-not-sampled" -> {
                backends = Telemetry.withSampling(0.0);
                subject = backends.tracer;
            }
            case "exporter-none" -> {
                backends = Telemetry.exporterNone();
                subject = backends.tracer;
            }
            default -> throw new IllegalArgumentException(tracer);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backends != null) {
            backends.close();
        }
    }

    @Benchmark
    public boolean spanStartEnd() {
        Span span = subject.spanBuilder("signaling.relay").kind(SpanKind.SERVER).noParent()
                .attribute("signaling.type", "offer").start();
        try (Scope ignored = span.makeCurrent()) {
            span.attribute("peer.count", 3L);
        } finally {
            span.end();
        }
        return span.isRecording();
    }
}
