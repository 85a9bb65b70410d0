package io.signaling.app.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signaling.ports.testing.RedisServer;
import io.signaling.ports.testing.RequiredPrograms;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}) scrapes a real node with the compose
 * stack's {@code docker/prometheus/prometheus.yml}, only its targets rewritten to this test's
 * node and server: through Prometheus's HTTP API the node's target is up, and every PromQL
 * expression of the Grafana dashboard returns data after traffic (HTTP 2xx/4xx/5xx, WebSocket
 * sessions, a relay, a signaling error, handshake rejections, a GC), evaluated as Grafana would
 * with {@code $instance} = All and {@code $__rate_interval} = 1m.
 */
class PrometheusServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALLOWED = "http://allowed.test";
    private static final Duration SCRAPES = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Process prometheus;

    @AfterEach
    void stopAll() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void prometheusScrapesTheNodeAndEveryDashboardQueryReturnsData(@TempDir Path dir) throws Exception {
        Path binary = RequiredPrograms.require("prometheus", "apt-get install prometheus");
        Map<String, String> queries = dashboardQueries();
        assertThat(queries).as("PromQL expressions of the dashboard").hasSizeGreaterThan(20);

        // A long readiness delay: after SIGTERM the node keeps serving while /health/ready says 503,
        // the one harmless way to make a real 5xx for the error panels.
        // A cluster node (on a real redis-server), so the dashboard's cluster panels have their series.
        RedisServer redis = RedisServer.start();
        closeables.add(redis);
        AppProcess app = AppProcess.jar("--server.host=127.0.0.1", "--server.port=0", "--admin.port=0",
                "--redis.enabled=true", "--redis.uri=" + redis.uri(),
                "--websocket.allowed-origins=" + ALLOWED, "--shutdown.readiness-delay=120s",
                "--shutdown.drain-timeout=2s").start();
        closeables.add(app);
        AppProcess.Started started = app.awaitStarted();
        traffic(app, started);

        int port = freePort();
        String config = Files.readString(AppProcess.repoRoot().resolve("docker/prometheus/prometheus.yml"), StandardCharsets.UTF_8);
        String rewritten = config.replace("\"signaling:9090\"", "\"127.0.0.1:" + started.adminUri().getPort() + "\"")
                .replace("\"localhost:9090\"", "\"127.0.0.1:" + port + "\"");
        assertThat(rewritten).as("both targets rewritten").isNotEqualTo(config).doesNotContain("signaling:9090", "localhost:9090");
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, rewritten, StandardCharsets.UTF_8);
        Path log = dir.resolve("prometheus.log");
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");

        await("the signaling target up in Prometheus").atMost(SCRAPES).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().untilAsserted(() -> {
                    assertThat(prometheus.isAlive()).as("prometheus runs: %s", Files.readString(log)).isTrue();
                    JsonNode targets = apiGet(api.resolve("targets")).path("data").path("activeTargets");
                    assertThat(targets).anySatisfy(t -> {
                        assertThat(t.path("labels").path("job").asText()).isEqualTo("signaling");
                        assertThat(t.path("health").asText()).as("lastError: %s", t.path("lastError").asText()).isEqualTo("up");
                    });
                });

        // 5xx: readiness fails while the node drains, and the rest keeps serving through the delay.
        app.signal("TERM");
        await("readiness 503 while draining").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(started.publicUri("/health/ready")).statusCode() == 503);
        for (int i = 0; i < 3; i++) {
            assertThat(get(started.publicUri("/health/ready")).statusCode()).isEqualTo(503);
        }

        Map<String, Integer> seriesPerQuery = new LinkedHashMap<>();
        await("every dashboard query returns data").atMost(SCRAPES).pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions().untilAsserted(() -> {
                    for (Map.Entry<String, String> q : queries.entrySet()) {
                        seriesPerQuery.put(q.getKey(), apiGet(api.resolve("query?query="
                                + URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8))).path("data").path("result").size());
                    }
                    assertThat(seriesPerQuery).as("series returned per dashboard query").allSatisfy((title, n) ->
                            assertThat(n).as(title).isPositive());
                });

        // honor_labels keeps the node's own instance label (its instance id), not the scrape address.
        JsonNode up = apiGet(api.resolve("query?query=" + URLEncoder.encode("process_uptime_seconds", StandardCharsets.UTF_8)))
                .path("data").path("result");
        assertThat(up).singleElement().satisfies(s ->
                assertThat(s.path("metric").path("instance").asText()).doesNotStartWith("127.0.0.1:"));
    }

    private void traffic(AppProcess app, AppProcess.Started started) throws Exception {
        URI ws = URI.create(started.line().path("websocket").asText());
        assertThat(get(started.publicUri("/health/live")).statusCode()).isEqualTo(200);
        assertThat(get(started.publicUri("/no-such-route")).statusCode()).isEqualTo(404);

        ProcessWsClient alice = open(ws);
        ProcessWsClient bob = open(ws);
        alice.expect("welcome");
        String bobId = bob.expect("welcome").path("peerId").asText();
        alice.send("{\"type\":\"join\",\"room\":\"prometheus\"}");
        alice.expect("joined");
        bob.send("{\"type\":\"join\",\"room\":\"prometheus\"}");
        bob.expect("joined");
        alice.expect("peer-joined");
        alice.send("{\"type\":\"offer\",\"to\":\"" + bobId + "\",\"payload\":{\"sdp\":\"v=0\"}}");
        bob.expect("offer");
        alice.send("{\"type\":\"offer\",\"to\":\"nobody\",\"payload\":{}}");
        alice.expect("error");

        assertThatThrownBy(() -> ProcessWsClient.connect(http, ws, "http://evil.test").get(15, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        ProcessWsClient big = open(ws);
        big.expect("welcome");
        big.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
        assertThat(big.awaitCloseCode()).isEqualTo(1009);

        // The GC panels need a collection; ask the node's JVM for one.
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            RequiredPrograms.unavailable("no jcmd in " + jcmd.getParent() + " to force a GC", "run the tests on a JDK, not a JRE");
        }
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        assertThat(gc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private ProcessWsClient open(URI ws) throws Exception {
        ProcessWsClient client = ProcessWsClient.open(http, ws, ALLOWED);
        closeables.add(client);
        return client;
    }

    /** Panel title (with the target's refId) to expression, as Grafana would send it. */
    static Map<String, String> dashboardQueries() throws Exception {
        JsonNode dashboard = JSON.readTree(AppProcess.repoRoot().resolve("docker/grafana/dashboards/signaling.json").toFile());
        Map<String, String> queries = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (expr.isBlank() || !seen.add(expr)) {
                    continue;
                }
                queries.put(panel.path("title").asText() + " [" + target.path("refId").asText() + "]",
                        expr.replace("$__rate_interval", "1m").replace("$instance", ".*"));
            }
        }
        return queries;
    }

    private JsonNode apiGet(URI uri) throws Exception {
        HttpResponse<String> response = get(uri);
        assertThat(response.statusCode()).as("%s: %s", uri, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
