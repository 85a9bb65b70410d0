package io.signaling.app.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The server as a child process: its command line and environment, stdout and stderr drained on
 * threads of their own into line lists, the bound addresses read from the JSON startup line.
 *
 * <p>The child's environment is the test JVM's minus every {@code SIGNALING_*}, {@code OTEL_*}
 * and JVM-option variable, so a developer's shell cannot change what a test runs (an unknown
 * {@code SIGNALING_*} variable alone would make the server refuse to start). Close it in
 * {@code @AfterEach}: a child still alive is killed.
 */
final class AppProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(45);
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SCRUBBED_PREFIXES = List.of("SIGNALING_", "OTEL_");
    private static final List<String> SCRUBBED = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final Process process;
    private final List<String> command;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread stdoutDrain;
    private final Thread stderrDrain;

    private AppProcess(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        this.stdoutDrain = drain(process.getInputStream(), stdout, "stdout-" + process.pid());
        this.stderrDrain = drain(process.getErrorStream(), stderr, "stderr-" + process.pid());
    }

    /** {@code java -jar <shaded app jar> args...} with the test JVM's {@code java}. */
    static Builder jar(String... args) {
        List<String> command = new ArrayList<>(List.of(javaExecutable().toString(), "-jar", appJar().toString()));
        command.addAll(List.of(args));
        return new Builder(command);
    }

    /** {@code java -cp <app jar>:<test classes> mainClass args...}: the launcher with test code beside it. */
    static Builder main(Class<?> mainClass, String... args) {
        String classpath = appJar() + java.io.File.pathSeparator + testClassesDir();
        List<String> command = new ArrayList<>(List.of(javaExecutable().toString(), "-cp", classpath, mainClass.getName()));
        command.addAll(List.of(args));
        return new Builder(command);
    }

    static Builder command(List<String> command) {
        return new Builder(new ArrayList<>(command));
    }

    /** The shaded jar built by {@code package}, as failsafe passes it. */
    static Path appJar() {
        String property = System.getProperty("signaling.app.jar");
        assertThat(property).as("system property signaling.app.jar (set by failsafe)").isNotBlank();
        Path jar = Path.of(property);
        assertThat(jar).as("the shaded app jar; run `./mvnw verify` so `package` builds it").isRegularFile();
        return jar;
    }

    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The repository root: the nearest directory, upwards from the working directory, with {@code mvnw}. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a directory holding mvnw above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    private static Path testClassesDir() {
        try {
            return Path.of(AppProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread drain(InputStream in, List<String> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The stream closes when the process is killed; what was read is kept.
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> stdoutLines() {
        return List.copyOf(stdout);
    }

    List<String> stderrLines() {
        return List.copyOf(stderr);
    }

    String stdout() {
        return String.join("\n", stdout);
    }

    String stderr() {
        return String.join("\n", stderr);
    }

    /** The stdout lines that are JSON objects (the log lines in json format). */
    List<JsonNode> jsonLines() {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : stdout) {
            if (line.startsWith("{")) {
                try {
                    nodes.add(JSON.readTree(line));
                } catch (IOException e) {
                    // Not every line starting with '{' has to be ours; it just is not a log line.
                }
            }
        }
        return nodes;
    }

    Optional<JsonNode> logLine(String message) {
        return jsonLines().stream().filter(n -> message.equals(n.path("message").asText())).findFirst();
    }

    /** Waits for a stdout JSON line with this message; fails at once with the output if the process died. */
    JsonNode awaitLogLine(String message, Duration timeout) {
        return awaitStdout(n -> message.equals(n.path("message").asText()), "a log line \"" + message + "\"", timeout);
    }

    JsonNode awaitStdout(Predicate<JsonNode> match, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<JsonNode> found = jsonLines().stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                joinDrains();
                found = jsonLines().stream().filter(match).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                fail("process exited with %d before printing %s%n%s", process.exitValue(), what, describe());
            }
            if (System.nanoTime() > deadline) {
                fail("no %s within %s%n%s", what, timeout, describe());
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits for the startup line and returns the bound addresses it names. */
    Started awaitStarted() {
        JsonNode line = awaitLogLine("started", START_TIMEOUT);
        String admin = line.path("admin").asText();
        return new Started(URI.create(line.path("public").asText()),
                "disabled".equals(admin) ? null : URI.create(admin), line);
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}) with {@code kill}, as an orchestrator would. */
    void signal(String name) {
        Objects.requireNonNull(name, "name");
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill finished").isTrue();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kill.exitValue()).as("kill -s %s %d: %s", name, process.pid(), output).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the process to exit; its streams are fully drained when this returns. */
    int awaitExit(Duration timeout) {
        await("exit of " + command).atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> !process.isAlive());
        joinDrains();
        return process.exitValue();
    }

    private void joinDrains() {
        try {
            stdoutDrain.join(TimeUnit.SECONDS.toMillis(10));
            stderrDrain.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String describe() {
        return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        joinDrains();
    }

    /** What the startup line says. {@code admin} is null when the admin listener is disabled. */
    record Started(URI publicUri, URI adminUri, JsonNode line) {
        URI publicUri(String path) {
            return publicUri.resolve(path);
        }

        URI adminUri(String path) {
            return Objects.requireNonNull(adminUri, "admin listener disabled").resolve(path);
        }

        int publicPort() {
            return publicUri.getPort();
        }
    }

    /** Whether this JVM was started with SIGINT ignored (Linux: bit 2 of SigIgn in /proc/self/status). */
    static boolean sigintIgnoredHere() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & (1L << (2 - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: nothing to correct.
        }
        return false;
    }

    static final class Builder {
        private final List<String> command;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path directory;

        private Builder(List<String> command) {
            this.command = command;
        }

        Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        AppProcess start() {
            List<String> launched = new ArrayList<>();
            if (sigintIgnoredHere()) {
                // A child inherits ignored signals, and the JVM rightly leaves an ignored SIGINT
                // ignored (a background job of a non-interactive shell, how a CI script may start
                // Maven, has SIGINT ignored). perl (perl-base is Essential on Debian) restores the
                // default disposition and execs the server under the same pid, so the SIGINT
                // tests test the server, not how the build was launched.
                launched.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\\n\";"));
            }
            launched.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(launched);
            Map<String, String> environment = pb.environment();
            environment.keySet().removeIf(k -> SCRUBBED.contains(k) || SCRUBBED_PREFIXES.stream().anyMatch(k::startsWith));
            environment.putAll(env);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            try {
                return new AppProcess(pb.start(), List.copyOf(command));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }
    }
}
