package io.signaling.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signaling.app.SignalingNode;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import io.signaling.benchmarks.json.MiniJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The load tool's {@code --protocol v1.1} against a real node (in-process, free port): it negotiates
 * v1.1 and, when every socket is cut mid-relay by a loopback proxy, resumes every session with
 * nothing lost, duplicated or reordered and no room-mate told that anyone left.
 */
class LoadToolV11Test {

    private SignalingNode node;
    private String ws;

    @BeforeEach
    void start() throws Exception {
        node = SignalingNode.builder(new ConfigLoader().load(ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("admin.enabled", "false")
                .withFlag("shutdown.readiness-delay", "0s")
                .withFlag("shutdown.drain-timeout", "1s"))).build();
        node.start();
        ws = "ws://127.0.0.1:" + node.publicAddress().getPort() + "/ws";
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.shutdown();
        }
    }

    private record Run(int code, Map<String, String> summary, String err) {
        long num(String key) {
            return Long.parseLong(summary.get(key));
        }

        long resume(String key) {
            return Long.parseLong(MiniJson.parseObject(summary.get("resume")).get(key));
        }
    }

    private static Run run(ByteArrayOutputStream err, String... args) {
        var out = new ByteArrayOutputStream();
        int code = LoadTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, MiniJson.parseObject(out.toString(StandardCharsets.UTF_8).trim()),
                err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "jdk"})
    void relayOverV11NumbersItsMessagesAndLosesNothing(String client) {
        var r = run(new ByteArrayOutputStream(), "relay", "--url", ws, "--connections", "10", "--room-size", "2",
                "--rate", "20", "--duration", "2s", "--warmup", "0", "--client", client, "--protocol", "v1.1");

        assertThat(r.code()).as(r.err() + r.summary()).isZero();
        assertThat(MiniJson.string(r.summary(), "protocol")).isEqualTo("v1.1");
        assertThat(r.num("delivered")).isEqualTo(r.num("sent")).isPositive();
        assertThat(r.resume("dropped")).isZero();
        assertThat(r.resume("seqGaps")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "jdk"})
    void everySessionResumesAfterItsSocketIsCutMidRelay(String client) throws Exception {
        try (var proxy = new CuttingProxy(node.publicAddress())) {
            var progress = new ByteArrayOutputStream();
            String url = "ws://127.0.0.1:" + proxy.port() + "/ws";
            var result = CompletableFuture.supplyAsync(() -> run(progress, "relay", "--url", url, "--connections",
                    "10", "--room-size", "2", "--rate", "20", "--duration", "4s", "--warmup", "0", "--grace", "5s", "--client", client,
                    "--protocol", "v1.1"));
            // Cut only once relays are flowing, so the drop lands mid-run.
            await().atMost(Duration.ofSeconds(30)).until(() -> progress.toString(StandardCharsets.UTF_8)
                    .matches("(?s).*delivered=[1-9].*"));
            int cut = proxy.cutAll();

            var r = result.get(60, TimeUnit.SECONDS);
            assertThat(cut).as("sockets reset (both ends of 10 connections)").isEqualTo(20);
            assertThat(r.resume("dropped")).as(r.summary().toString()).isEqualTo(10);
            assertThat(r.resume("resumed")).as(r.summary().toString()).isEqualTo(10);
            assertThat(r.resume("notResumed")).isZero();
            assertThat(r.resume("seqGaps")).isZero();
            assertThat(r.num("lost")).as(r.summary().toString()).isZero();
            assertThat(r.num("duplicated")).isZero();
            assertThat(r.num("reordered")).isZero();
            assertThat(r.num("misrouted")).isZero();
            assertThat(r.num("peerLeft")).as("room-mates told someone left").isZero();
            assertThat(r.num("delivered")).isEqualTo(r.num("sent")).isPositive();
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(proxy.accepted.get()).as("connections: 10, then 10 resumes").isGreaterThanOrEqualTo(20);
        }
    }
}
