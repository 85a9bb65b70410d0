package io.signaling.app.process;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.signaling.ports.testing.RedisServer;
import io.signaling.ports.testing.RequiredPrograms;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 7: every metric the Grafana dashboard queries ({@code docker/grafana/dashboard-metrics.txt},
 * generated from the dashboard JSON) is a sample of a real scrape of the admin listener, after
 * HTTP, WebSocket and signaling traffic; and the scrape passes {@code promtool check metrics}.
 */
class DashboardMetricsIT {

    private static final String ALLOWED = "http://allowed.test";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    /**
     * What promtool's linter says about names Micrometer's own JVM/process binders choose; not ours
     * to rename (the dashboard does not use them). Anything else it reports fails the test.
     */
    private static final Set<String> KNOWN_LINT = Set.of(
            "process_cpu_time_ns_total metric names should not contain abbreviated units",
            "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void everyDashboardMetricIsScrapedAfterRealTraffic() throws Exception {
        List<String> wanted = dashboardSampleNames();
        assertThat(wanted).as("dashboard-metrics.txt lists metrics").isNotEmpty();

        // A cluster node (on a real redis-server), so the dashboard's cluster panels have their series.
        RedisServer redis = RedisServer.start();
        closeables.add(redis);
        AppProcess app = AppProcess.jar("--server.host=127.0.0.1", "--server.port=0", "--admin.port=0",
                "--redis.enabled=true", "--redis.uri=" + redis.uri(),
                "--websocket.allowed-origins=" + ALLOWED).start();
        closeables.add(app);
        AppProcess.Started started = app.awaitStarted();
        URI ws = URI.create(started.line().path("websocket").asText());

        // HTTP: a served route and a 404.
        assertThat(get(started.publicUri("/health/live")).statusCode()).isEqualTo(200);
        assertThat(get(started.publicUri("/no-such-route")).statusCode()).isEqualTo(404);

        // Signaling: two peers in a room, one relay between them, one relay to nobody (an error).
        ProcessWsClient alice = open(ws);
        ProcessWsClient bob = open(ws);
        alice.expect("welcome");
        String bobId = bob.expect("welcome").path("peerId").asText();
        alice.send("{\"type\":\"join\",\"room\":\"dashboard\"}");
        alice.expect("joined");
        bob.send("{\"type\":\"join\",\"room\":\"dashboard\"}");
        assertThat(bob.expect("joined").path("peers")).hasSize(1);
        alice.expect("peer-joined");
        alice.send("{\"type\":\"offer\",\"to\":\"" + bobId + "\",\"payload\":{\"sdp\":\"v=0\"}}");
        assertThat(bob.expect("offer").path("payload").path("sdp").asText()).isEqualTo("v=0");
        alice.send("{\"type\":\"offer\",\"id\":\"r1\",\"to\":\"nobody\",\"payload\":{}}");
        JsonNode error = alice.expect("error");
        assertThat(error.path("code").asText()).isEqualTo("peer-not-found");
        assertThat(error.path("id").asText()).isEqualTo("r1");

        // WebSocket rejections: an upgrade from a foreign origin; a frame above the size limit.
        assertThatThrownBy(() -> ProcessWsClient.connect(http, ws, "http://evil.test").get(15, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
        ProcessWsClient big = open(ws);
        big.expect("welcome");
        big.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
        assertThat(big.awaitCloseCode()).isEqualTo(1009);

        // The GC pause timer only exists after a collection; ask the server's JVM for one.
        Optional<Path> jcmd = jdkTool("jcmd");
        if (jcmd.isPresent()) {
            run(List.of(jcmd.get().toString(), Long.toString(app.pid()), "GC.run"));
        }

        String scrape = get(started.adminUri("/metrics")).body();
        Set<String> samples = sampleNames(scrape);
        List<String> missing = wanted.stream().filter(name -> !samples.contains(name)).toList();
        if (jcmd.isEmpty()) {
            Assumptions.assumeTrue(missing.stream().allMatch(n -> n.startsWith("jvm_gc_pause_seconds")),
                    "no jcmd next to " + AppProcess.javaExecutable() + " to force a GC; missing: " + missing);
        }
        assertThat(missing).as("dashboard metrics absent from the scrape").isEmpty();

        // The traffic above is what the dashboard panels show, not only empty series.
        assertThat(value(scrape, "http_server_requests_seconds_count", "status=\"404\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "signaling_relay_seconds_count", "")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "signaling_errors_total", "code=\"peer-not-found\"")).isEqualTo(1);
        assertThat(value(scrape, "websocket_handshake_rejections_total", "reason=\"origin\"")).isEqualTo(1);
        assertThat(value(scrape, "signaling_rooms_active", "")).isEqualTo(1);
        assertThat(value(scrape, "signaling_peers_active", "")).isEqualTo(2);
        assertThat(value(scrape, "websocket_connections_total", "event=\"opened\"")).isEqualTo(3);

        promtoolCheck(scrape);

        app.signal("TERM");
        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isZero();
    }

    private ProcessWsClient open(URI ws) throws Exception {
        ProcessWsClient client = ProcessWsClient.open(http, ws, ALLOWED);
        closeables.add(client);
        return client;
    }

    private static void promtoolCheck(String scrape) throws Exception {
        Path promtool = RequiredPrograms.require("promtool", "apt-get install prometheus");
        Path input = Files.createTempFile("scrape", ".prom");
        try {
            Files.writeString(input, scrape, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(input.toFile()).redirectErrorStream(true);
            Result result = run(pb);
            // promtool exits 1 when the text does not parse, 3 when it parses but lint finds problems.
            assertThat(result.exitCode()).as("promtool check metrics:%n%s", result.output()).isIn(0, 3);
            List<String> findings = result.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            assertThat(findings).as("promtool lint findings").isSubsetOf(KNOWN_LINT);
            assertThat(result.exitCode() == 0).isEqualTo(findings.isEmpty());
        } finally {
            Files.deleteIfExists(input);
        }
    }

    private static List<String> dashboardSampleNames() throws IOException {
        Path file = AppProcess.repoRoot().resolve("docker/grafana/dashboard-metrics.txt");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            assertThat(columns).as("SAMPLE_NAME<TAB>FAMILY_NAME: %s", line).hasSize(2);
            names.add(columns[0]);
        }
        return names;
    }

    static Set<String> sampleNames(String scrape) {
        Set<String> names = new LinkedHashSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(line -> {
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.find()).as("a sample line: %s", line).isTrue();
            names.add(m.group(1));
        });
        return names;
    }

    /** The sum of every sample with this name whose labels contain {@code labelFragment}. */
    static double value(String scrape, String name, String labelFragment) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.lines().filter(l -> !l.startsWith("#")).toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (m.find() && m.group(1).equals(name) && (m.group(2) == null ? "" : m.group(2)).contains(labelFragment)) {
                sum += Double.parseDouble(m.group(3));
                found = true;
            }
        }
        assertThat(found).as("a sample %s with %s", name, labelFragment).isTrue();
        return sum;
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<Path> jdkTool(String name) {
        Path tool = Path.of(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(tool) ? Optional.of(tool) : Optional.empty();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        Result result = run(new ProcessBuilder(command).redirectErrorStream(true));
        assertThat(result.exitCode()).as("%s:%n%s", command, result.output()).isZero();
        return result;
    }

    private static Result run(ProcessBuilder pb) throws Exception {
        // Output to a file, not a pipe: a full pipe cannot block the child, and the wait stays bounded.
        Path output = Files.createTempFile("tool", ".out");
        Process process = pb.redirectOutput(output.toFile()).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", pb.command()).isTrue();
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
