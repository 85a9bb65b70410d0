package io.signaling.app.telemetry;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what does each JSON encoder add to the server's start, before its first line is
 * written? Each fork is a fresh JVM and measures exactly one call: creating and starting the
 * encoder and encoding the first line, class loading and initialisation included (the event
 * itself is built beforehand, untimed, so Logback's own classes are loaded for every candidate).
 * With {@code jacksonLoaded=true} Jackson has written one object before: the server's protocol
 * codec loads it at start anyway, so that is the cost a switch would actually change.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
@Fork(10)
public class LogEncoderStartupBenchmark {

    @Param({"project", "logback", "logstash"})
    public String encoder;

    @Param({"false", "true"})
    public boolean jacksonLoaded;

    private LoggerContext context;
    private ILoggingEvent event;

    @Setup
    public void setUp() {
        context = new LoggerContext();
        event = LogEvents.accessLine(context);
        if (jacksonLoaded) {
            try {
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(java.util.Map.of("warm", 1));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Benchmark
    public byte[] startAndEncodeFirstLine() {
        return LogEvents.started(encoder, context).encode(event);
    }
}
