package io.signaling.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signaling.ports.testing.RequiredPrograms;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the browser tests share: their prerequisites (skipped with what to install, failing under
 * {@code CI=true}) and running one Node.js scenario inside a fresh network namespace that holds only
 * {@code lo}, reaching the node through a {@link UnixSocketRelay}. See {@link DemoPageBrowserTest}.
 */
final class BrowserHarness {

    private BrowserHarness() {
    }

    /** Everything a scenario needs beyond the JDK; returns the Chromium binary. */
    static Path requirePrerequisites(Path scriptDir) throws Exception {
        Path chromium = System.getProperty("signaling.chromium") != null
                ? RequiredPrograms.require(System.getProperty("signaling.chromium"), "point -Dsignaling.chromium at a Chromium binary")
                : RequiredPrograms.require("chromium", "apt-get install chromium");
        RequiredPrograms.require("node", "apt-get install nodejs npm (Node.js 18 or newer)");
        RequiredPrograms.require("unshare", "apt-get install util-linux");
        RequiredPrograms.require("ip", "apt-get install iproute2");
        if (!Files.isDirectory(scriptDir.resolve("node_modules/playwright-core"))) {
            RequiredPrograms.unavailable("playwright-core is missing from " + scriptDir.resolve("node_modules"),
                    "install npm (the build then runs npm ci there), or run npm ci in signaling-app/src/test/browser");
        }
        String node = run("node", "--version");
        if (node != null) {
            RequiredPrograms.unavailable("node does not run (" + node + ")", "install Node.js 18 or newer (apt-get install nodejs)");
        }
        String netns = run("unshare", "--net", "--", "ip", "link", "set", "lo", "up");
        if (netns != null) {
            // Chromium must not send ICE checks beyond loopback, so the test does not run without it.
            RequiredPrograms.unavailable("cannot create a network namespace with `unshare --net` (" + netns + ")",
                    "run the tests as root (CI does)");
        }
        return chromium;
    }

    /**
     * Runs {@code node SCRIPT ARGS} in a fresh network namespace (lo up) from {@code scriptDir};
     * stdout and stderr land in {@code artifacts}. Returns its RESULT line once it exited 0; fails the
     * test with the output otherwise.
     */
    static JsonNode runScenario(Path scriptDir, Path artifacts, String script, long processTimeoutS, List<String> args)
            throws Exception {
        Files.createDirectories(artifacts);
        Path stdout = artifacts.resolve("node-stdout.log");
        Path stderr = artifacts.resolve("node-stderr.log");
        List<String> command = new ArrayList<>(List.of("unshare", "--net", "--", "sh", "-c",
                "ip link set lo up && exec node " + script + " \"$@\"", script));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .directory(scriptDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            if (!process.waitFor(processTimeoutS, TimeUnit.SECONDS)) {
                killTree(process);
                fail("%s did not finish within %d s; killed it.%n%s", script, processTimeoutS, output(stdout, stderr));
            }
        } finally {
            if (process.isAlive()) {
                killTree(process);
            }
        }
        int exit = process.exitValue();
        JsonNode result = resultLine(Files.readString(stdout, StandardCharsets.UTF_8));
        assertThat(result)
                .withFailMessage("%s exited %d without a RESULT line.%n%s", script, exit, output(stdout, stderr))
                .isNotNull();
        assertThat(exit)
                .withFailMessage("%s exited %d: %s%n%s%n%s", script, exit, result.path("error").asText(),
                        result.toPrettyString(), output(stdout, stderr))
                .isZero();
        return result;
    }

    static JsonNode resultLine(String stdout) throws IOException {
        for (String line : stdout.split("\n")) {
            if (line.startsWith("RESULT ")) {
                return new ObjectMapper().readTree(line.substring("RESULT ".length()));
            }
        }
        return null;
    }

    static String output(Path stdout, Path stderr) {
        return "--- stdout (" + stdout + ")\n" + readQuietly(stdout) + "\n--- stderr (" + stderr + ")\n" + readQuietly(stderr);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a short command: null when it succeeded, else why not (its output or the start error). */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return String.join(" ", command) + " did not finish within 10 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
