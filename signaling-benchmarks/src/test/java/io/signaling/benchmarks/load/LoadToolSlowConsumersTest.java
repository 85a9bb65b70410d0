package io.signaling.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.app.SignalingNode;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import io.signaling.benchmarks.bare.BareUndertow;
import io.signaling.benchmarks.json.MiniJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay mode's slow consumers ({@code --slow-consumers}, fault 3 of docs/reliability.md):
 * sockets that join the fast rooms and then stop reading while the fast members send to them.
 * Against a real node with a short send timeout the server closes every one of them (the tool
 * sees it when it reads again at the end) and the fast relay loses nothing; against the bare
 * baseline, which has no send timeout, the same sockets are reported still open, so the count
 * is the server's doing and not the tool's.
 */
class LoadToolSlowConsumersTest {

    private SignalingNode node;
    private BareUndertow bare;

    @AfterEach
    void stop() {
        if (node != null) {
            node.shutdown();
        }
        if (bare != null) {
            bare.close();
        }
    }

    private record Run(int code, Map<String, String> summary, String err) {
        long num(String key) {
            return Long.parseLong(summary.get(key));
        }

        Map<String, String> slow() {
            return MiniJson.parseObject(summary.get("slowConsumers"));
        }

        long slow(String key) {
            return Long.parseLong(slow().get(key));
        }
    }

    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = LoadTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, MiniJson.parseObject(out.toString(StandardCharsets.UTF_8).trim()),
                err.toString(StandardCharsets.UTF_8));
    }

    private String startNode() throws Exception {
        node = SignalingNode.builder(new ConfigLoader().load(ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("admin.enabled", "false")
                .withFlag("websocket.send-timeout", "1s")
                .withFlag("shutdown.readiness-delay", "0s")
                .withFlag("shutdown.drain-timeout", "1s"))).build();
        node.start();
        return "ws://127.0.0.1:" + node.publicAddress().getPort() + "/ws";
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "jdk"})
    void theServerClosesEverySlowConsumerAndTheFastRelayLosesNothing(String client) throws Exception {
        String ws = startNode();

        // 10 fast sockets in 5 rooms, 2 slow consumers per room that stop reading once joined;
        // each fast member sends each slow one 15 relays/s of 8 KB (40 messages/s a member with its
        // own 10, under the node's 50/s limit): far past a 4 KiB receive buffer well within the 4 s
        // run, so the writes to them stall and the 1 s send timeout closes them.
        var r = run("relay", "--url", ws, "--connections", "10", "--room-size", "2", "--rate", "10",
                "--duration", "4s", "--grace", "1s", "--client", client, "--slow-consumers", "10",
                "--slow-rate", "15", "--slow-payload-bytes", "8000");

        assertThat(r.code()).as(r.err() + r.summary()).isZero();
        assertThat(r.slow("connections")).isEqualTo(10);
        assertThat(r.slow("joined")).isEqualTo(10);
        assertThat(r.slow("relaysSentToThem")).isPositive();
        assertThat(r.slow("closedByServer")).as(r.summary().toString()).isEqualTo(10);
        assertThat(r.slow("stillOpen")).isZero();
        // Each slow consumer's two fast room-mates were told it left (a drop without a close: disconnect).
        assertThat(r.num("peerLeft")).as(r.summary().toString()).isEqualTo(20);
        assertThat(r.num("delivered")).isEqualTo(r.num("sent")).isPositive();
        assertThat(r.num("lost")).isZero();
        assertThat(r.num("stillOpen")).as("the fast sockets stayed open").isEqualTo(10);
    }

    @Test
    void slowConsumersOfAServerWithoutASendTimeoutAreReportedStillOpen() {
        bare = BareUndertow.start("127.0.0.1", 0);
        String ws = "ws://127.0.0.1:" + bare.port() + "/ws";

        var r = run("relay", "--url", ws, "--connections", "4", "--room-size", "2", "--rate", "10",
                "--duration", "2s", "--grace", "1s", "--client", "nio", "--slow-consumers", "2",
                "--slow-after", "3", "--slow-rate", "20", "--slow-payload-bytes", "2000");

        assertThat(r.code()).as(r.err() + r.summary()).isZero();
        assertThat(r.slow("joined")).isEqualTo(2);
        // Each read its first 3 relays before it stopped (a few more may have been in its buffer).
        assertThat(r.slow("relaysReadBeforeCheck")).isGreaterThanOrEqualTo(6);
        assertThat(r.slow("closedByServer")).as(r.summary().toString()).isZero();
        assertThat(r.slow("stillOpen")).isEqualTo(2);
        assertThat(r.num("peerLeft")).isZero();
        assertThat(r.num("delivered")).isEqualTo(r.num("sent")).isPositive();
    }
}
