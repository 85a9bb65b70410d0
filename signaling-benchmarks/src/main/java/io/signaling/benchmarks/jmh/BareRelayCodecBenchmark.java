package io.signaling.benchmarks.jmh;

import io.signaling.benchmarks.json.MiniJson;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what does the bare baseline spend per relayed message on the CPU, outside Undertow?
 * It parses the client's frame into raw members and re-frames it with {@code from}; this is the
 * floor the app's codec (Jackson, validation) is compared against when the relay figures differ.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BareRelayCodecBenchmark {

    private final String offer = "{\"type\":\"offer\",\"to\":\"Qm9vbV9wZWVyX2lkXzAx\",\"payload\":{\"type\":\"offer\","
            + "\"sdp\":\"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n"
            + "a=group:BUNDLE 0\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n\"}}";

    /** Parse one relay and build the forwarded frame, as the baseline's IO thread does. */
    @Benchmark
    public String parseAndReframe() {
        var msg = MiniJson.parseObject(offer);
        return "{\"type\":\"" + MiniJson.string(msg, "type") + "\",\"from\":\"self\",\"to\":"
                + msg.get("to") + ",\"payload\":" + msg.get("payload") + "}";
    }

    /** The non-JSON path: the raw echo does no work beyond reading the first character. */
    @Benchmark
    public boolean echoDispatch() {
        return offer.isEmpty() || offer.charAt(0) != '{';
    }
}
