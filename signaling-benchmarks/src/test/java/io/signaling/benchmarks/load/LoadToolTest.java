package io.signaling.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signaling.benchmarks.bare.BareUndertow;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The load tool's modes end to end against the bare baseline started in-process on a free port. */
class LoadToolTest {

    private BareUndertow server;
    private String ws;

    @BeforeEach
    void start() {
        server = BareUndertow.start("127.0.0.1", 0);
        ws = "ws://127.0.0.1:" + server.port() + "/ws";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Run(int code, Map<String, String> summary, String err) {
        long num(String key) {
            return Long.parseLong(summary.get(key));
        }

        Map<String, String> obj(String key) {
            return MiniJson.parseObject(summary.get(key));
        }
    }

    private static Run run(String... args) {
        return runWith(new ByteArrayOutputStream(), args);
    }

    private static Run runWith(ByteArrayOutputStream err, String... args) {
        var out = new ByteArrayOutputStream();
        int code = LoadTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(stdout.lines().count()).as("exactly one JSON line on stdout: %s", stdout).isEqualTo(1);
        return new Run(code, MiniJson.parseObject(stdout), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "jdk"})
    void relayDeliversEverythingWithoutLossMisroutingOrDuplicates(String client) {
        var r = run("relay", "--url", ws, "--connections", "20", "--room-size", "2", "--rate", "20",
                "--duration", "2s", "--warmup", "0", "--payload-bytes", "200", "--client", client);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(MiniJson.string(r.summary(), "client")).isEqualTo(client);
        assertThat(r.num("opened")).isEqualTo(20);
        assertThat(r.num("joined")).isEqualTo(20);
        // 20 sockets x 20/s x 2 s, less pacer start-up slack.
        assertThat(r.num("sent")).isBetween(600L, 820L);
        assertThat(r.num("delivered")).isEqualTo(r.num("sent"));
        assertThat(r.num("lost")).isZero();
        assertThat(r.num("misrouted")).isZero();
        assertThat(r.num("duplicated")).isZero();
        assertThat(r.num("reordered")).isZero();
        assertThat(r.summary().get("ok")).isEqualTo("true");
        var latency = r.obj("latency");
        assertThat(Long.parseLong(latency.get("count"))).isEqualTo(r.num("delivered"));
        assertThat(Double.parseDouble(latency.get("p99Ms"))).isPositive();
        assertThat(r.err()).contains("[relay 1s]");
        assertThat(Double.parseDouble(r.summary().get("pacerMaxLagMs"))).isNotNegative();
        assertThat(Double.parseDouble(r.summary().get("clientCpuSeconds"))).isPositive();
    }

    @Test
    void relayLeavesItsWarmUpOutOfTheLatencyFiguresButChecksItsRelays() {
        // The default client (nio) with a 1 s warm-up before 2 s measured.
        var r = run("relay", "--url", ws, "--connections", "20", "--room-size", "2", "--rate", "20",
                "--duration", "2s", "--warmup", "1s", "--payload-bytes", "200");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(MiniJson.string(r.summary(), "client")).isEqualTo("nio");
        assertThat(Double.parseDouble(r.summary().get("warmupS"))).isEqualTo(1.0);
        // 20 sockets x 20/s x (1 + 2) s, less pacer start-up slack: the warm-up's relays are sent and checked.
        assertThat(r.num("sent")).isBetween(1000L, 1220L);
        assertThat(r.num("delivered")).isEqualTo(r.num("sent"));
        assertThat(r.num("lost")).isZero();
        long warmup = r.num("warmupDelivered");
        assertThat(warmup).as("relays sent during the warm-up").isBetween(1L, 420L);
        assertThat(Long.parseLong(r.obj("latency").get("count"))).as("only relays sent after the warm-up are timed")
                .isEqualTo(r.num("delivered") - warmup);
        assertThat(r.summary()).containsKey("warmupPacerMaxLagMs");
    }

    @Test
    void relayOnTheNioClientCarriesMessagesAcrossTheWriteBuffer() {
        // 8 KiB relays at 50/s on 10 sockets: 16-bit frame lengths, and frames larger than the
        // client's 2 KiB starting buffers on both the write and the read side.
        var r = run("relay", "--url", ws, "--connections", "10", "--room-size", "5", "--rate", "50",
                "--duration", "1s", "--warmup", "0", "--payload-bytes", "8000", "--client", "nio");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(MiniJson.string(r.summary(), "client")).isEqualTo("nio");
        assertThat(r.num("delivered")).isEqualTo(r.num("sent")).isPositive();
        assertThat(r.num("sendFailed")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "jdk"})
    void relayEndsCleanlyWhenTheServerGoesAway(String client) throws Exception {
        var progress = new ByteArrayOutputStream(); // synchronized: safe to read while the run writes
        var result = CompletableFuture.supplyAsync(() -> runWith(progress, "relay", "--url", ws, "--connections",
                "10", "--room-size", "2", "--rate", "20", "--duration", "4s", "--warmup", "0", "--grace", "1s", "--client", client));
        // Close only once relays are flowing, so the drop lands mid-run.
        await().atMost(Duration.ofSeconds(15)).until(() -> progress.toString(StandardCharsets.UTF_8)
                .matches("(?s).*delivered=[1-9].*"));
        server.close();
        server = null;

        // The run still goes to its 4 s end; what matters is that it ends, reports, leaves no
        // socket open, and that sends after the drop come back as failures instead of vanishing.
        var r = result.get(30, TimeUnit.SECONDS);
        assertThat(MiniJson.string(r.summary(), "client")).isEqualTo(client);
        assertThat(r.num("stillOpen")).as(r.summary().toString()).isZero();
        assertThat(r.num("delivered")).isPositive();
        assertThat(r.num("sendFailed")).as(r.summary().toString()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "jdk"})
    void holdCountsOpenJoinedResponsiveAndReadsRss(String client) {
        long pid = ProcessHandle.current().pid();
        var r = run("hold", "--url", ws, "--connections", "30", "--room-size", "3", "--duration", "1s",
                "--pid", Long.toString(pid), "--client", client);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.num("opened")).isEqualTo(30);
        assertThat(r.num("joined")).isEqualTo(30);
        assertThat(r.num("stillOpen")).isEqualTo(30);
        assertThat(r.num("dropped")).isZero();
        assertThat(r.num("responsive")).isEqualTo(30);
        // The set-up ends once all 30 are joined, before the 1 s hold begins.
        assertThat(Double.parseDouble(r.summary().get("setUpSeconds"))).isPositive().isLessThan(1.0);
        assertThat(r.num("setUpsPerSec")).isPositive();
        // --pid is this JVM (server and tool); /proc counts in 10 ms ticks, so a short set-up may read 0.
        assertThat(r.num("serverCpuMicrosPerSetUp")).isNotNegative();
        var rss = r.obj("rss");
        assertThat(Long.parseLong(rss.get("beforeKiB"))).isPositive();
        assertThat(Long.parseLong(rss.get("endKiB"))).isPositive();
        assertThat(rss.get("growthPerConnectionBytes")).isNotEqualTo("null");
    }

    @Test
    void holdReportsConnectionsTheServerDropped() throws Exception {
        var progress = new ByteArrayOutputStream(); // synchronized: safe to read while the run writes
        var result = CompletableFuture.supplyAsync(() -> runWith(progress, "hold", "--url", ws, "--connections", "10",
                "--room-size", "2", "--duration", "4s"));
        // Drop the sockets only once every one is joined and held.
        await().atMost(Duration.ofSeconds(15)).until(() -> progress.toString(StandardCharsets.UTF_8)
                .contains("holding: open=10/10"));
        server.close();
        server = null;

        var r = result.get(20, TimeUnit.SECONDS);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.num("openAtStart")).isEqualTo(10);
        assertThat(r.num("stillOpen")).isZero();
        assertThat(r.num("dropped")).isEqualTo(10);
        assertThat(r.num("responsive")).isZero();
        assertThat(r.summary().get("ok")).isEqualTo("false");
    }

    @Test
    void echoOnTheBlockingClientCompletesRawAndPingRoundTrips() {
        var raw = run("echo", "--url", ws, "--connections", "5", "--payload-bytes", "200", "--duration", "1s",
                "--client", "blocking");
        assertThat(raw.code()).as(raw.err()).isZero();
        assertThat(MiniJson.string(raw.summary(), "client")).isEqualTo("blocking");
        assertThat(raw.num("roundTrips")).isPositive();
        assertThat(raw.num("mismatches")).isZero();

        var ping = run("echo", "--url", ws, "--connections", "5", "--style", "ping", "--duration", "1s",
                "--client", "blocking");
        assertThat(ping.code()).as(ping.err()).isZero();
        assertThat(ping.num("roundTrips")).isPositive();
        assertThat(Long.parseLong(ping.obj("latency").get("count"))).isEqualTo(ping.num("roundTrips"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo", "ping", "relay"})
    void closedLoopsOnTheNioClientCheckEveryReplyAndTimeOnlyTheMeasuredOnes(String style) {
        // The server runs in this JVM: --pid reads this process's CPU time.
        var r = run("echo", "--url", ws, "--connections", "10", "--style", style, "--payload-bytes", "300",
                "--warmup", "500ms", "--duration", "1s", "--pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(MiniJson.string(r.summary(), "client")).isEqualTo("nio");
        assertThat(r.num("loops")).isEqualTo(10);
        assertThat(r.num("mismatches")).isZero();
        assertThat(r.num("stalled")).isZero();
        long measured = r.num("roundTrips");
        assertThat(measured).isPositive();
        assertThat(Long.parseLong(r.obj("latency").get("count"))).isEqualTo(measured);
        // The warm-up's round trips were checked too, but neither timed nor counted in the rates.
        assertThat(r.num("checkedRoundTrips")).isGreaterThan(measured);
        assertThat(Double.parseDouble(r.summary().get("clientCpuSeconds"))).isPositive();
        double serverCpu = Double.parseDouble(r.summary().get("serverCpuSeconds"));
        assertThat(serverCpu).isPositive();
        double perCpuSecond = Double.parseDouble(r.summary().get("perServerCpuSecond"));
        assertThat(perCpuSecond).isCloseTo((style.equals("relay") ? 2.0 : 1.0) * measured / serverCpu,
                org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(Double.parseDouble(r.summary().get("roundTripsPerSec"))).isEqualTo(measured / 1.0);
        if (style.equals("relay")) {
            // Every round trip is an offer the mate answered: both legs through the server.
            assertThat(Double.parseDouble(r.summary().get("relaysPerSec"))).isEqualTo(2.0 * measured);
            assertThat(r.num("answered")).isEqualTo(r.num("checkedRoundTrips"));
        } else {
            assertThat(r.summary()).doesNotContainKey("relaysPerSec");
        }
    }

    @Test
    void aClosedLoopWhoseRepliesStopComingFailsTheRunInsteadOfReportingARate() throws Exception {
        var progress = new ByteArrayOutputStream(); // synchronized: safe to read while the run writes
        var result = CompletableFuture.supplyAsync(() -> runWith(progress, "echo", "--url", ws, "--connections",
                "10", "--style", "relay", "--warmup", "0", "--duration", "3s"));
        await().atMost(Duration.ofSeconds(15)).until(() -> progress.toString(StandardCharsets.UTF_8)
                .matches("(?s).*roundTrips=[1-9].*"));
        server.close();
        server = null;

        // Every loop had an offer in the server when it went: none comes back, and the run says so.
        var r = result.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.summary().toString()).isEqualTo(1);
        assertThat(r.num("stalled")).isEqualTo(10);
        assertThat(r.num("stillOpen")).isZero();
        assertThat(r.summary().get("ok")).isEqualTo("false");
    }

    @Test
    void httpModeCountsSuccessesAndNon2xx() {
        String base = "http://127.0.0.1:" + server.port();
        var ok = run("http", "--url", base + "/health/live", "--connections", "4", "--duration", "1s");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.num("requests")).isPositive();
        assertThat(ok.num("non2xx")).isZero();

        var missing = run("http", "--url", base + "/missing", "--connections", "2", "--duration", "500ms");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.num("non2xx")).isEqualTo(missing.num("requests")).isPositive();
    }
}
