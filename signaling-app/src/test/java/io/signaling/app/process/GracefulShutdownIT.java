package io.signaling.app.process;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 2: SIGTERM and SIGINT drain the real jar and exit 0, also under a request in flight. */
class GracefulShutdownIT {

    @RegisterExtension
    final StartedProcesses processes = new StartedProcesses();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void readyServerStopsCleanlyOnSignal(String signal) throws Exception {
        AppProcess app = processes.track(AppProcess.jar("--server.host=127.0.0.1", "--server.port=0", "--admin.port=0").start());
        AppProcess.Started started = app.awaitStarted();

        HttpResponse<String> ready = get(started.publicUri("/health/ready"));
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"", "READY");
        assertThat(get(started.adminUri("/health/live")).statusCode()).isEqualTo(200);

        app.signal(signal);

        int exit = app.awaitExit(AppProcess.EXIT_TIMEOUT);
        assertThat(exit).as(app.describe()).isZero();
        assertThat(app.logLine("shutdown started: readiness is 503")).as(app.describe()).isPresent();
        JsonNode stopped = app.logLine("stopped").orElseThrow(() -> new AssertionError("no stopped line\n" + app.describe()));
        assertThat(stopped.path("clean").asBoolean(false)).isTrue();
        assertThat(stopped.path("exit_code").isInt()).isTrue();
        assertThat(stopped.path("exit_code").asInt(-1)).isZero();
        assertThat(app.stdout()).contains("\"clean\":true", "\"exit_code\":0");
        // The shutdown line comes after the startup line, and nothing after the final line.
        List<String> messages = app.jsonLines().stream().map(n -> n.path("message").asText()).toList();
        assertThat(messages.indexOf("shutdown started: readiness is 503")).isGreaterThan(messages.indexOf("started"));
        assertThat(messages.get(messages.size() - 1)).isEqualTo("stopped");
        assertThat(app.stderr()).doesNotContain("Exception");
    }

    @Test
    void sigtermUnderARunningRequestExitsZeroOnlyAfterTheRequestCompleted(@TempDir Path dir) throws Exception {
        Path release = dir.resolve("release");
        AppProcess app = processes.track(AppProcess.main(SlowRouteMain.class,
                "--server.host=127.0.0.1", "--server.port=0", "--admin.port=0", "--shutdown.drain-timeout=30s").start());
        AppProcess.Started started = app.awaitStarted();

        URI slow = started.publicUri("/slow?maxMs=10000&release="
                + URLEncoder.encode(release.toString(), StandardCharsets.UTF_8));
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(slow).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        await("slow request in flight").atMost(Duration.ofSeconds(20))
                .until(() -> app.stdoutLines().contains(SlowRouteMain.MARKER));
        assertThat(get(started.adminUri("/debug/runtime")).body()).containsPattern("\"activeRequests\":[1-9]");

        app.signal("TERM");
        app.awaitLogLine("listener stopped accepting; draining", Duration.ofSeconds(20));

        // The drain waits for the request: the process stays up while the route still blocks.
        assertThat(inFlight).isNotDone();
        assertThat(app.isAlive()).as(app.describe()).isTrue();
        assertThat(app.logLine("stopped")).isEmpty();
        // Readiness went 503 on the admin listener, which keeps serving until the public one drained.
        HttpResponse<String> readiness = get(started.adminUri("/health/ready"));
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.headers().firstValue("Retry-After")).isPresent();
        // A new connection to the public listener is refused outright or answered 503.
        assertNewPublicConnectionRefusedOr503(started.publicUri("/health/live"));

        Files.createFile(release);

        HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(SlowRouteMain.BODY);
        int exit = app.awaitExit(AppProcess.EXIT_TIMEOUT);
        assertThat(exit).as(app.describe()).isZero();
        assertThat(app.logLine("stopped").orElseThrow().path("clean").asBoolean(false)).isTrue();
    }

    private static void assertNewPublicConnectionRefusedOr503(URI uri) throws InterruptedException {
        // A client of its own: the shared one could reuse a connection opened before the drain.
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = fresh.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("a request after the listener stopped accepting").isEqualTo(503);
        } catch (IOException refused) {
            assertThat(refused).as("refused or reset, not timed out")
                    .isNotInstanceOf(java.net.http.HttpTimeoutException.class);
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
