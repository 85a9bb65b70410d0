package io.signaling.benchmarks.core;

import io.signaling.ports.log.Logger;
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
 * Questions: does a log call at a disabled level cost nothing (run with {@code -prof gc}: the
 * {@code gc.alloc.rate.norm} of the {@code disabled*} benchmarks must be ~0 B/op), and what does
 * an enabled call cost the request thread (encoding happens on the async appender's thread; the
 * caller pays the event and the queue hand-off)?
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoggerBenchmark {

    private Telemetry backends;
    private Logger logger;
    private Logger child;
    private String peer = "Qm9vdHN0cmFwUGVlcklk";
    private int peers = 3;

    @Setup(Level.Trial)
    public void setUp() {
        backends = Telemetry.withLevel("INFO");
        logger = backends.loggers.logger("io.signaling.bench");
        child = logger.with("connection_id", "c-1", "room", "lobby");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backends.close();
    }

    @Benchmark
    public void disabledNoPairs() {
        logger.debug("relay delivered");
    }

    @Benchmark
    public void disabledTwoPairs() {
        logger.debug("relay delivered", "peer_id", peer, "room", "lobby");
    }

    @Benchmark
    public void disabledChildTwoPairs() {
        child.debug("relay delivered", "peer_id", peer, "room", "lobby");
    }

    @Benchmark
    public void enabledTwoPairs() {
        logger.info("peer joined", "peer_id", peer, "peers", peers);
    }

    @Benchmark
    public void enabledChildTwoPairs() {
        child.info("peer joined", "peer_id", peer, "peers", peers);
    }
}
