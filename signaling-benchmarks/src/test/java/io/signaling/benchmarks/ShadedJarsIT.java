package io.signaling.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two shaded jars the scripts run, run as they are shipped: the bare baseline serves, the load
 * tool relays through it and prints its JSON summary. Each jar holds only a whitelist of its
 * dependencies, so a class used at run time but left out of the list shows up here only.
 */
class ShadedJarsIT {

    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    private Process bare;

    @AfterEach
    void stopBare() throws InterruptedException {
        if (bare != null) {
            bare.destroy();
            if (!bare.waitFor(20, TimeUnit.SECONDS)) {
                bare.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theLoadToolRelaysThroughTheBareBaselineAndReportsInJson(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        bare = new ProcessBuilder(java, "-jar", System.getProperty("bare.jar"), "--port=0")
                .redirectErrorStream(true).start();
        int port = 0;
        BufferedReader lines = new BufferedReader(new InputStreamReader(bare.getInputStream(), StandardCharsets.UTF_8));
        for (String line; port == 0 && (line = lines.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        assertThat(port).as("the bare baseline printed its port").isPositive();

        Path summary = dir.resolve("summary.json");
        Path progress = dir.resolve("progress.log");
        Process load = new ProcessBuilder(java, "-jar", System.getProperty("load.jar"), "relay",
                "--url", "ws://127.0.0.1:" + port + "/ws", "--connections", "4", "--room-size", "2",
                "--rate", "5", "--duration", "2s")
                .redirectOutput(summary.toFile()).redirectError(progress.toFile()).start();
        assertThat(load.waitFor(120, TimeUnit.SECONDS)).as("the load tool ends by itself").isTrue();

        assertThat(load.exitValue()).as("exit code; progress: %s", Files.readString(progress)).isZero();
        JsonNode result = new ObjectMapper().readTree(summary.toFile());
        assertThat(result.path("delivered").asLong()).as("summary %s", result).isPositive();
        assertThat(result.has("duplicated") && result.has("misrouted")).as("summary %s", result).isTrue();
        assertThat(List.of(result.get("duplicated").asLong(), result.get("misrouted").asLong()))
                .as("summary %s", result).containsOnly(0L);
    }
}
