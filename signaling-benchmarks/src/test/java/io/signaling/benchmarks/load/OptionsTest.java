package io.signaling.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.200.3.4", "localhost", "LOCALHOST", "[::1]"})
    void loopbackHostsAreAccepted(String host) throws Exception {
        var o = Options.parse(new String[] {"hold", "--url", "ws://" + host + ":9/ws"});
        assertThat(o.url().getHost()).isEqualToIgnoringCase(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.0.2.7", "0.0.0.0", "128.0.0.1", "example.com", "[2001:db8::1]",
            "localhost.example.com"})
    void otherHostsAreRefusedWithoutAllowRemote(String host) {
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://" + host + ":9/ws"}))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("refusing non-loopback target")
                .hasMessageContaining("--allow-remote");
    }

    @Test
    void allowRemoteLiftsTheGuard() throws Exception {
        var o = Options.parse(new String[] {"relay", "--url=ws://192.0.2.7:9/ws", "--allow-remote"});
        assertThat(o.allowRemote()).isTrue();
    }

    @Test
    void refusedTargetExitsWithUsageCodeWithoutConnecting() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = LoadTool.run(new String[] {"http", "--url", "http://192.0.2.7:9/health/live", "--duration", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refusing non-loopback target '192.0.2.7'")
                .contains("usage:");
    }

    @Test
    void parsesValuesAndDurations() throws Exception {
        var o = Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1:8080/ws", "--connections", "10_000",
                "--room-size=4", "--rate", "2.5", "--duration", "500ms", "--payload-bytes", "300", "--grace", "2m"});
        assertThat(o.connections()).isEqualTo(10_000);
        assertThat(o.roomSize()).isEqualTo(4);
        assertThat(o.rate()).isEqualTo(2.5);
        assertThat(o.duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.grace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.payloadBytes()).isEqualTo(300);
        assertThat(o.client()).isEqualTo("nio");
        assertThat(Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--client", "jdk"}).client())
                .isEqualTo("jdk");
    }

    @Test
    void relayWarmsUpForThreeSecondsUnlessToldOtherwise() throws Exception {
        assertThat(Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws"}).warmup())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--warmup", "0"}).warmup())
                .isEqualTo(Duration.ZERO);
        assertThat(Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--warmup", "500ms"}).warmup())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1/ws"}).warmup()).isEqualTo(Duration.ZERO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse(
                        new String[] {"hold", "--url", "ws://127.0.0.1/ws", "--warmup", "2s"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--warmup applies to relay mode and to echo on the nio client only");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse(
                        new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--warmup", "soon"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--warmup");
    }

    @Test
    void protocolIsV1UnlessV11IsAskedForInHoldOrRelay() throws Exception {
        assertThat(Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1:8080/ws"}).v11()).isFalse();
        var o = Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1:8080/ws", "--protocol", "v1.1"});
        assertThat(o.v11()).isTrue();
        assertThat(o.protocol()).isEqualTo("v1.1");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--protocol", "v2"}))
                .hasMessageContaining("--protocol must be 'v1' or 'v1.1', got 'v2'");
        assertThatThrownBy(() -> Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--protocol=v1.1"}))
                .hasMessageContaining("--protocol applies to hold and relay modes only");
    }

    @Test
    void aSecondUrlSpreadsRelaySocketsOverTwoNodes() throws Exception {
        var o = Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1:8080/ws", "--url2", "ws://127.0.0.1:8081/ws"});
        assertThat(o.url2().getPort()).isEqualTo(8081);
        assertThat(Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1:8080/ws"}).url2()).isNull();
        assertThatThrownBy(() -> Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1/ws", "--url2", "ws://127.0.0.1/ws"}))
                .hasMessageContaining("--url2 applies to relay mode only");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--url2", "http://127.0.0.1/ws"}))
                .hasMessageContaining("--url2 needs a ws://");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--url2", "ws://192.0.2.7/ws"}))
                .hasMessageContaining("192.0.2.7");
    }

    @Test
    void slowConsumersTakeTheirRateAndSizeFromTheFastRelayUnlessGiven() throws Exception {
        var none = Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws"});
        assertThat(none.slow().any()).isFalse();
        var o = Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--rate", "5", "--payload-bytes",
                "300", "--slow-consumers", "500"});
        assertThat(o.slow()).isEqualTo(new Options.SlowConsumers(500, 0, 5, 300));
        var given = Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--slow-consumers=2",
                "--slow-after", "3", "--slow-rate", "12.5", "--slow-payload-bytes", "8000"});
        assertThat(given.slow()).isEqualTo(new Options.SlowConsumers(2, 3, 12.5, 8000));
        assertThatThrownBy(() -> Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1/ws", "--slow-consumers", "1"}))
                .hasMessageContaining("--slow-consumers applies to relay mode only");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--slow-rate", "1"}))
                .hasMessageContaining("--slow-rate needs --slow-consumers");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--slow-consumers",
                "1", "--protocol", "v1.1"})).hasMessageContaining("--slow-consumers needs --protocol v1");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--slow-consumers",
                "0"})).hasMessageContaining("--slow-consumers must be between 1");
    }

    @Test
    void usageErrorsArePrecise() {
        assertThatThrownBy(() -> Options.parse(new String[] {})).hasMessageContaining("no mode");
        assertThatThrownBy(() -> Options.parse(new String[] {"flood", "--url", "ws://127.0.0.1/ws"}))
                .hasMessageContaining("unknown mode 'flood'");
        assertThatThrownBy(() -> Options.parse(new String[] {"hold"})).hasMessageContaining("--url is required");
        assertThatThrownBy(() -> Options.parse(new String[] {"hold", "--url", "http://127.0.0.1/ws"}))
                .hasMessageContaining("needs a ws:// or wss:// URL");
        assertThatThrownBy(() -> Options.parse(new String[] {"http", "--url", "ws://127.0.0.1/ws"}))
                .hasMessageContaining("needs an http:// URL");
        assertThatThrownBy(() -> Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1/ws", "--duration", "soon"}))
                .hasMessageContaining("--duration must be a duration");
        assertThatThrownBy(() -> Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1/ws", "--connections", "0"}))
                .hasMessageContaining("--connections must be between 1");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--room-size", "1"}))
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1/ws", "--bogus", "1"}))
                .hasMessageContaining("unknown option '--bogus'");
        assertThatThrownBy(() -> Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1/ws", "--connections"}))
                .hasMessageContaining("--connections needs a value");
        assertThatThrownBy(() -> Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--style", "yell"}))
                .hasMessageContaining("--style must be");
        assertThatThrownBy(() -> Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--client", "blocking", "--pid", "1"}))
                .hasMessageContaining("--pid applies to hold mode and to echo on the nio client only");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--client", "netty"}))
                .hasMessageContaining("--client must be 'nio' or 'jdk'");
        assertThatThrownBy(() -> Options.parse(new String[] {"hold", "--url", "ws://127.0.0.1/ws", "--client", "blocking"}))
                .hasMessageContaining("--client must be 'nio' or 'jdk'");
        assertThatThrownBy(() -> Options.parse(new String[] {"http", "--url", "http://127.0.0.1/health/live", "--client", "jdk"}))
                .hasMessageContaining("--client applies to hold, relay and echo modes only");
        assertThatThrownBy(() -> Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--client", "jdk"}))
                .hasMessageContaining("--client must be 'nio' or 'blocking' in echo mode");
        assertThatThrownBy(() -> Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--style", "relay",
                "--client", "blocking"})).hasMessageContaining("--style relay needs the nio client");
        assertThatThrownBy(() -> Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--style", "relay",
                "--connections", "5"})).hasMessageContaining("--connections must be even");
        assertThatThrownBy(() -> Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--client", "blocking",
                "--warmup", "1s"})).hasMessageContaining("--warmup applies to relay mode and to echo on the nio client");
        assertThatThrownBy(() -> Options.parse(new String[] {"relay", "--url", "ws://127.0.0.1/ws", "--style", "ping"}))
                .hasMessageContaining("--style applies to echo mode only");
    }

    @Test
    void echoRunsClosedLoopsOnTheNioClientByDefaultWithAWarmUp() throws UsageException {
        var o = Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--style", "relay"});
        assertThat(o.client()).isEqualTo("nio");
        assertThat(o.style()).isEqualTo("relay");
        assertThat(o.warmup()).isEqualTo(java.time.Duration.ofSeconds(3));
        var blocking = Options.parse(new String[] {"echo", "--url", "ws://127.0.0.1/ws", "--client", "blocking"});
        assertThat(blocking.warmup()).isZero();
    }
}
