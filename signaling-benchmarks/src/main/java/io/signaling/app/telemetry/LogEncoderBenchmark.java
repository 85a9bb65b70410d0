package io.signaling.app.telemetry;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
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
 * Question: does the project's JSON log encoder cost more per line than the libraries a user
 * would reach for instead (Logback's own {@code JsonEncoder}, logstash-logback-encoder)? Run with
 * {@code -prof gc}: the bytes allocated per line ({@code gc.alloc.rate.norm}) do not depend on
 * how busy the machine is, the time per line does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class LogEncoderBenchmark {

    @Param({"project", "logback", "logstash"})
    public String encoder;

    private Encoder<ILoggingEvent> subject;
    private ILoggingEvent event;

    @Setup
    public void setUp() {
        LoggerContext context = new LoggerContext();
        subject = LogEvents.started(encoder, context);
        event = LogEvents.accessLine(context);
    }

    /** One access-log line, encoded to the bytes the appender writes. */
    @Benchmark
    public byte[] encodeAccessLine() {
        return subject.encode(event);
    }
}
