package io.signaling.app.process;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7: the exact command line and environment of the image's entrypoint
 * ({@code docker/entrypoint-command.txt}, kept in step with the Dockerfile by
 * {@code scripts/check-docker.sh}) run against the built jar, as {@code docker run} would run it.
 *
 * <p>What differs from the container, and why:
 * <ul>
 *   <li>the image paths of the {@code file} directives become the local files they are built from;</li>
 *   <li>{@code java} is the test JVM's, so the jar runs on the JDK the build just compiled it for;</li>
 *   <li>the working directory is a fresh temporary directory ({@code /app} does not exist here),
 *       and the process runs as the test's user (no {@code setuid} outside a container);</li>
 *   <li>as an operator would with {@code docker run -e}: {@code SIGNALING_SERVER_PORT=0} and
 *       {@code SIGNALING_ADMIN_PORT=0}, because 8080 and 9090 may be taken on a shared machine
 *       (0 lets the OS pick, with no window for another process to grab a port chosen in advance),
 *       {@code SIGNALING_ADMIN_HOST=127.0.0.1} so the admin listener stays off the network, and
 *       {@code SIGNALING_WEBSOCKET_ALLOWEDORIGINS}, because the image runs the {@code prod}
 *       profile, which refuses to start without an origin list (proven below): every real
 *       deployment of the image has to set it too.</li>
 * </ul>
 */
class ImageEntrypointIT {

    private static final String ORIGINS = "http://localhost:8080";

    private final List<AppProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ImageEntrypoint entrypoint;
    private Path repoRoot;

    @TempDir
    Path workdir;

    @BeforeEach
    void readEntrypoint() throws Exception {
        repoRoot = AppProcess.repoRoot();
        entrypoint = ImageEntrypoint.parse(repoRoot.resolve("docker/entrypoint-command.txt"));
    }

    @AfterEach
    void stopProcesses() {
        processes.forEach(AppProcess::close);
    }

    @Test
    void theImageCommandBecomesReadyAndStopsCleanlyOnItsStopSignal() throws Exception {
        AppProcess app = start(Map.of(
                "SIGNALING_SERVER_PORT", "0",
                "SIGNALING_ADMIN_PORT", "0",
                "SIGNALING_ADMIN_HOST", "127.0.0.1",
                "SIGNALING_WEBSOCKET_ALLOWEDORIGINS", ORIGINS));
        AppProcess.Started started = app.awaitStarted();

        // The JVM options of the image reached the JVM (it says so on stderr, which is expected).
        assertThat(app.stderr()).contains("Picked up JAVA_TOOL_OPTIONS: " + entrypoint.env().get("JAVA_TOOL_OPTIONS"));
        assertThat(started.adminUri().getHost()).isEqualTo("127.0.0.1");

        URI healthcheck = withPort(URI.create(entrypoint.healthcheck()), started.publicPort());
        HttpResponse<String> live = get(healthcheck);
        assertThat(live.statusCode()).as("HEALTHCHECK %s", healthcheck).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> ready = get(started.publicUri("/health/ready"));
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(get(started.adminUri("/metrics")).statusCode()).isEqualTo(200);

        app.signal(entrypoint.stopSignal().replaceFirst("^SIG", ""));

        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isZero();
        // Values only the image's config file (drain-timeout 20s) and the prod profile (readiness
        // delay 5s) set: both layers were read.
        JsonNode shutdown = app.logLine("shutdown started: readiness is 503").orElseThrow();
        assertThat(shutdown.path("drain_timeout_ms").asLong()).isEqualTo(20_000);
        assertThat(shutdown.path("readiness_delay_ms").asLong()).isEqualTo(5_000);
        JsonNode stopped = app.logLine("stopped").orElseThrow();
        assertThat(stopped.path("clean").asBoolean(false)).isTrue();
        assertThat(stopped.path("exit_code").asInt(-1)).isZero();
    }

    @Test
    void theImageProfileRefusesToStartWithoutAllowedOrigins() {
        AppProcess app = start(Map.of(
                "SIGNALING_SERVER_PORT", "0",
                "SIGNALING_ADMIN_PORT", "0",
                "SIGNALING_ADMIN_HOST", "127.0.0.1"));

        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isEqualTo(2);
        assertThat(app.stderr()).contains("websocket.allowed-origins = [] (profile prod): required under the prod profile");
        assertThat(app.logLine("started")).isEmpty();
    }

    private AppProcess start(Map<String, String> overrides) {
        Map<String, Path> localFiles = new LinkedHashMap<>();
        for (String imagePath : entrypoint.files().keySet()) {
            try {
                localFiles.put(imagePath, entrypoint.localFile(repoRoot, imagePath));
            } catch (java.io.IOException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        }
        List<String> command = new ArrayList<>();
        for (String arg : entrypoint.args()) {
            command.add(entrypoint.substitute(arg, localFiles));
        }
        assertThat(command.get(0)).as("the image runs java from its PATH").isEqualTo("java");
        command.set(0, AppProcess.javaExecutable().toString());
        Path builtJar = realPath(AppProcess.appJar());
        assertThat(command.stream().filter(a -> a.endsWith(".jar")).map(a -> realPath(Path.of(a))))
                .as("the image runs the jar this build produced").containsExactly(builtJar);

        AppProcess.Builder builder = AppProcess.command(command).directory(workdir);
        entrypoint.env().forEach((name, value) -> builder.env(name, entrypoint.substitute(value, localFiles)));
        overrides.forEach(builder::env);
        AppProcess app = builder.start();
        processes.add(app);
        return app;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            throw new AssertionError("no file " + path, e);
        }
    }

    private static URI withPort(URI uri, int port) throws Exception {
        return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), port, uri.getPath(), uri.getQuery(), null);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
