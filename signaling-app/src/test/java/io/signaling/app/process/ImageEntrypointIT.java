package io.signaling.app.process;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * {@code scripts/check-docker.sh}) run against the built jar, as {@code docker run} would run it;
 * and before that, once for the class, the image build's training step that writes the AppCDS
 * archive the entrypoint maps, run exactly as the build runs it (the image's environment, no
 * overrides: {@code warmup} must bind loopback and free ports, and need no origins, by itself).
 *
 * <p>What differs from the container, and why:
 * <ul>
 *   <li>the image paths of the {@code file} directives become the local files they are built from,
 *       the archive's ({@code generated}) a file of this class's temporary directory;</li>
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
    /** What {@code -Xlog:class+load} says of a class mapped from the dynamic (AppCDS) archive. */
    private static final String FROM_ARCHIVE = "io.signaling.app.Main source: shared objects file (top)";

    private static ImageEntrypoint entrypoint;
    private static Path repoRoot;
    private static String archiveImagePath;
    private static Path archive;
    private static AppProcess training;

    @TempDir
    static Path buildDir;

    @RegisterExtension
    final StartedProcesses processes = new StartedProcesses();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path workdir;

    /** The image build's training step, once: every test below starts on what it wrote. */
    @BeforeAll
    static void runTheImageBuildsTrainingStep() throws Exception {
        repoRoot = AppProcess.repoRoot();
        entrypoint = ImageEntrypoint.parse(repoRoot.resolve("docker/entrypoint-command.txt"));
        assertThat(entrypoint.generated()).as("the image bakes one generated file, its AppCDS archive").hasSize(1);
        archiveImagePath = entrypoint.generated().keySet().iterator().next();
        archive = buildDir.resolve("signaling.jsa");
        Path trainingDir = Files.createDirectories(buildDir.resolve("training"));
        training = launch(entrypoint.generated().get(archiveImagePath), archive, Map.of(), trainingDir);
        training.awaitExit(AppProcess.EXIT_TIMEOUT);
    }

    @AfterAll
    static void stopTraining() {
        if (training != null) {
            training.close();
        }
    }

    @Test
    void theImagesTrainingStepExitsZeroOnItsOwnAndWritesAnArchive() throws Exception {
        assertThat(training.awaitExit(AppProcess.EXIT_TIMEOUT)).as(training.describe()).isZero();
        assertThat(archive).as("the AppCDS archive").isRegularFile();
        assertThat(Files.size(archive)).isPositive();

        // It ran in the image's environment: its JVM options, its config file (8080/9090, admin on
        // every interface) and the prod profile without origins; warmup put both listeners on
        // loopback with free ports anyway, and went through every step.
        assertThat(training.stderr()).contains("Picked up JAVA_TOOL_OPTIONS: " + entrypoint.env().get("JAVA_TOOL_OPTIONS"));
        JsonNode started = training.logLine("started").orElseThrow(() -> new AssertionError(training.describe()));
        URI publicUri = URI.create(started.path("public").asText());
        URI adminUri = URI.create(started.path("admin").asText());
        assertThat(List.of(publicUri.getHost(), adminUri.getHost())).containsOnly("127.0.0.1");
        assertThat(List.of(publicUri.getPort(), adminUri.getPort())).doesNotContain(8080, 9090);
        assertThat(training.logLine("warmup done").orElseThrow().path("steps").asInt()).isGreaterThanOrEqualTo(20);
        assertThat(training.logLine("warmup failed")).isEmpty();
        JsonNode stopped = training.logLine("stopped").orElseThrow();
        assertThat(stopped.path("clean").asBoolean(false)).isTrue();
    }

    @Test
    void theImageCommandMapsTheBakedArchiveBecomesReadyAndStopsCleanlyOnItsStopSignal() throws Exception {
        Path classLoads = workdir.resolve("class-load.log");
        AppProcess app = start(Map.of(
                "SIGNALING_SERVER_PORT", "0",
                "SIGNALING_ADMIN_PORT", "0",
                "SIGNALING_ADMIN_HOST", "127.0.0.1",
                "SIGNALING_WEBSOCKET_ALLOWEDORIGINS", ORIGINS, "SIGNALING_AUTH_MODE", "none",
                // As an operator would add a JVM option; the image leaves JDK_JAVA_OPTIONS unset.
                "JDK_JAVA_OPTIONS", classLoadLog(classLoads)), true);
        AppProcess.Started started = app.awaitStarted();
        // The JVM mapped the archive: the app's own classes came from it, not from the jar.
        assertThat(classLoads).content().contains(FROM_ARCHIVE);

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
    void withoutTheArchiveTheSameStartLoadsTheAppFromTheJar() throws Exception {
        // The control of the test above: proves its assertion can fail.
        Path classLoads = workdir.resolve("class-load.log");
        AppProcess app = start(quickStart(classLoads, ""), false);

        assertReadyThenStopped(app);
        assertThat(classLoads).content().contains("io.signaling.app.Main source: file:").doesNotContain("(top)");
    }

    @Test
    void anArchiveThatDoesNotMatchTheJvmIsSkippedSilentlyAndTheServerStartsWithoutIt() throws Exception {
        // Compressed oops off, as a heap of 32 GiB or more turns them off: the archive was dumped
        // with them on, so JDK 17 must not map it, and must still start (the Dockerfile says so).
        Path classLoads = workdir.resolve("class-load.log");
        AppProcess app = start(quickStart(classLoads, "-XX:-UseCompressedOops "), true);

        assertReadyThenStopped(app);
        assertThat(classLoads).content().contains("io.signaling.app.Main source: file:").doesNotContain("(top)");
        assertThat(app.stdoutLines()).as("no CDS warning among the log lines").noneMatch(l -> l.contains("[cds"));
    }

    @Test
    void theImageProfileRefusesToStartWithoutAllowedOrigins() {
        AppProcess app = start(Map.of(
                "SIGNALING_SERVER_PORT", "0",
                "SIGNALING_ADMIN_PORT", "0",
                "SIGNALING_ADMIN_HOST", "127.0.0.1"), true);

        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isEqualTo(2);
        assertThat(app.stderr()).contains("websocket.allowed-origins = [] (profile prod): required under the prod profile");
        assertThat(app.logLine("started")).isEmpty();
    }

    /** The overrides of a start that is only checked for readiness: no readiness delay to wait out. */
    private static Map<String, String> quickStart(Path classLoads, String jvmOptions) {
        return Map.of(
                "SIGNALING_SERVER_PORT", "0",
                "SIGNALING_ADMIN_PORT", "0",
                "SIGNALING_ADMIN_HOST", "127.0.0.1",
                "SIGNALING_WEBSOCKET_ALLOWEDORIGINS", ORIGINS, "SIGNALING_AUTH_MODE", "none",
                "SIGNALING_SHUTDOWN_READINESSDELAY", "0s",
                "JDK_JAVA_OPTIONS", jvmOptions + classLoadLog(classLoads));
    }

    /** Class loading logged to its own file, so it cannot interleave with the JSON log on stdout. */
    private static String classLoadLog(Path file) {
        return "-Xlog:class+load=info:file=" + file;
    }

    private void assertReadyThenStopped(AppProcess app) throws Exception {
        AppProcess.Started started = app.awaitStarted();
        assertThat(get(started.publicUri("/health/ready")).statusCode()).isEqualTo(200);
        app.signal(entrypoint.stopSignal().replaceFirst("^SIG", ""));
        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isZero();
    }

    /** The image's entrypoint with its env, then {@code overrides}; with or without the archive args. */
    private AppProcess start(Map<String, String> overrides, boolean withArchive) {
        assertThat(training.awaitExit(AppProcess.EXIT_TIMEOUT)).as("the training step; %s", training.describe()).isZero();
        List<String> args = entrypoint.args().stream()
                .filter(a -> withArchive || !ImageEntrypoint.refersTo(a, archiveImagePath))
                .toList();
        if (withArchive) {
            assertThat(args).as("the entrypoint maps the generated archive")
                    .anyMatch(a -> ImageEntrypoint.refersTo(a, archiveImagePath));
        }
        AppProcess app = launch(args, archive, overrides, workdir);
        processes.track(app);
        return app;
    }

    /**
     * Runs an image command: its image paths replaced by the local files, {@code java} by the test
     * JVM's, with the image's environment and then {@code overrides}.
     */
    private static AppProcess launch(List<String> imageCommand, Path archiveFile, Map<String, String> overrides,
                                     Path directory) {
        Map<String, Path> localFiles = new LinkedHashMap<>();
        for (String imagePath : entrypoint.files().keySet()) {
            try {
                localFiles.put(imagePath, entrypoint.localFile(repoRoot, imagePath));
            } catch (java.io.IOException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        }
        localFiles.put(archiveImagePath, archiveFile);
        List<String> command = new ArrayList<>();
        for (String arg : imageCommand) {
            command.add(entrypoint.substitute(arg, localFiles));
        }
        assertThat(command.get(0)).as("the image runs java from its PATH").isEqualTo("java");
        command.set(0, AppProcess.javaExecutable().toString());
        Path builtJar = realPath(AppProcess.appJar());
        assertThat(command.stream().filter(a -> a.endsWith(".jar")).map(a -> realPath(Path.of(a))))
                .as("the image runs the jar this build produced").containsExactly(builtJar);

        AppProcess.Builder builder = AppProcess.command(command).directory(directory);
        entrypoint.env().forEach((name, value) -> builder.env(name, entrypoint.substitute(value, localFiles)));
        overrides.forEach(builder::env);
        return builder.start();
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
