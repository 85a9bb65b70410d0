package io.signaling.app.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signaling.ports.testing.RequiredPrograms;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README.md's samples are the binary's real output: each block after a
 * {@code <!-- readme-sample: NAME -->} marker is held against what the shaded jar prints, so a
 * change of the output or of the README that lets them differ fails here. Also the small truths
 * a newcomer checks first: {@code --help} names the real jar, {@code help} works without dashes,
 * {@code check} shows the host name as the instance id, and {@code /debug/runtime} knows the commit.
 */
class ReadmeSamplesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("<!-- readme-sample: ([a-z-]+) -->\\n+```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    @RegisterExtension
    final StartedProcesses processes = new StartedProcesses();

    private static Map<String, String> samples() throws Exception {
        String readme = Files.readString(AppProcess.repoRoot().resolve("README.md"), StandardCharsets.UTF_8);
        Map<String, String> samples = new LinkedHashMap<>();
        Matcher m = MARKER.matcher(readme);
        while (m.find()) {
            samples.put(m.group(1), m.group(2));
        }
        return samples;
    }

    private static String sample(String name) throws Exception {
        String sample = samples().get(name);
        assertThat(sample).as("README.md block after <!-- readme-sample: %s -->", name).isNotNull();
        return sample;
    }

    /** {@code $ [VAR=value ...] java -jar <jar> args...}: the environment and the arguments. */
    private static AppProcess.Builder commandOf(String line) {
        assertThat(line).startsWith("$ ");
        List<String> words = new ArrayList<>(List.of(line.substring(2).trim().split(" +")));
        Map<String, String> env = new LinkedHashMap<>();
        while (words.get(0).matches("[A-Z_]+=.*")) {
            String assignment = words.remove(0);
            env.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }
        assertThat(words.subList(0, 2)).containsExactly("java", "-jar");
        assertThat(words.get(2)).as("the jar the README runs").endsWith("/" + AppProcess.appJar().getFileName());
        AppProcess.Builder builder = AppProcess.jar(words.subList(3, words.size()).toArray(String[]::new));
        env.forEach(builder::env);
        return builder;
    }

    @Test
    void theInvalidConfigurationSampleIsTheRealOutputAndItsFixValidates() throws Exception {
        String sample = sample("invalid-config");
        String command = sample.lines().findFirst().orElseThrow();
        String expected = sample.substring(command.length() + 1);

        AppProcess app = processes.track(commandOf(command).start());
        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isEqualTo(2);
        assertThat(app.stderr() + "\n").isEqualTo(expected);

        // Doing what each line says leaves a configuration that is valid, not a second error.
        String fixed = command.replace("idle-timout", "idle-timeout").replace("=70000", "=9000") + " check";
        AppProcess check = processes.track(commandOf(fixed).start());
        assertThat(check.awaitExit(AppProcess.EXIT_TIMEOUT)).as(check.describe()).isZero();
    }

    @Test
    void theStartedSampleHasTheRealFieldsAndNamesTheRealBindAddresses() throws Exception {
        JsonNode sample = JSON.readTree(sample("started").strip());
        AppProcess app = processes.track(AppProcess.jar("--server.port=0", "--admin.port=0").start());
        AppProcess.Started started = app.awaitStarted();
        JsonNode real = started.line();

        assertThat(names(real)).as("fields of the started line, in order").isEqualTo(names(sample));
        for (String same : List.of("level", "logger", "message", "thread")) {
            assertThat(real.path(same).asText()).as(same).isEqualTo(sample.path(same).asText());
        }
        // The sample shows the default build (jsr); CI also runs these tests on a native build.
        assertThat(sample.path("websocket_adapter").asText()).isEqualTo("native");
        assertThat(real.path("websocket_adapter").asText()).as("websocket_adapter").isIn("jsr", "native");
        // The default listener is on every interface, and the line says so; admin stays on loopback.
        int publicPort = started.publicUri().getPort();
        int adminPort = started.adminUri().getPort();
        assertThat(real.path("public").asText()).isEqualTo("http://0.0.0.0:" + publicPort);
        assertThat(real.path("admin").asText()).isEqualTo("http://127.0.0.1:" + adminPort);
        assertThat(real.path("public").asText().replace(":" + publicPort, ":8080")).isEqualTo(sample.path("public").asText());
        assertThat(real.path("admin").asText().replace(":" + adminPort, ":9090")).isEqualTo(sample.path("admin").asText());
        assertThat(real.path("websocket").asText().replace(":" + publicPort, ":8080")).isEqualTo(sample.path("websocket").asText());
        // started is the first INFO line a user sees.
        assertThat(app.jsonLines()).filteredOn(l -> "INFO".equals(l.path("level").asText())).first()
                .satisfies(first -> assertThat(first.path("message").asText()).isEqualTo("started"));

        // /debug/runtime names the commit the jar was built from, recorded at build time.
        HttpResponse<String> runtime = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/debug/runtime")).build(),
                HttpResponse.BodyHandlers.ofString());
        String commit = JSON.readTree(runtime.body()).findValue("commit").asText();
        assertThat(commit).matches(gitHead() + "(-dirty)?");
    }

    @Test
    void helpNamesTheRealJarAndWorksWithoutDashes() throws Exception {
        AppProcess dashed = processes.track(AppProcess.jar("--help").start());
        assertThat(dashed.awaitExit(AppProcess.EXIT_TIMEOUT)).isZero();
        String jar = AppProcess.appJar().getFileName().toString();
        assertThat(dashed.stdoutLines().get(0)).startsWith("Usage: java -jar " + jar + " ");
        assertThat(dashed.stdout()).doesNotContain("signaling-app.jar");

        AppProcess bare = processes.track(AppProcess.jar("help").start());
        assertThat(bare.awaitExit(AppProcess.EXIT_TIMEOUT)).isZero();
        assertThat(bare.stdout()).isEqualTo(dashed.stdout());
    }

    @Test
    void checkShowsTheHostNameAsTheInstanceId() throws Exception {
        AppProcess check = processes.track(AppProcess.jar("check").start());
        assertThat(check.awaitExit(AppProcess.EXIT_TIMEOUT)).as(check.describe()).isZero();
        String host = InetAddress.getLocalHost().getHostName();
        assertThat(check.stdoutLines()).anySatisfy(line -> assertThat(line.strip()).isIn(
                "instance-id: " + host, "instance-id: \"" + host + "\"", "instance-id: '" + host + "'"));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String gitHead() throws Exception {
        var git = RequiredPrograms.require("git", "apt-get install git");
        Process p = new ProcessBuilder(git.toString(), "rev-parse", "HEAD").directory(AppProcess.repoRoot().toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            RequiredPrograms.unavailable("not a git checkout (" + out + ")", "build from a git clone");
        }
        return out;
    }
}
