package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.signaling.app.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes configuration loading through the launcher's {@code check} command, as an operator
 * reaches it: a config file, {@code SIGNALING_*} environment variables and command-line arguments.
 * The only outcomes allowed are "valid" (exit 0, the effective configuration printed) and
 * "invalid configuration" (exit 2, every problem listed); never an exception, another exit code,
 * or a stack trace in the output.
 *
 * <p>An input is text in three parts, so seeds are readable files: the YAML of the config file,
 * then after a line {@code %%env} lines {@code NAME=value}, then after a line {@code %%args} one
 * argument per line. Committed inputs live in {@code ConfigLoadingFuzzTestInputs/check/}.
 */
class ConfigLoadingFuzzTest {

    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w$.]+\\([\\w$.]*(:\\d+)?\\)");
    private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b(java|javax|jdk|sun|com\\.fasterxml|org\\.yaml|io\\.signaling)\\.[\\w$.]*(Exception|Error)\\b");

    private static Path configFile;

    @BeforeAll
    static void createFile() throws IOException {
        configFile = Files.createTempFile("signaling-fuzz-", ".yaml");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(configFile);
    }

    @FuzzTest(maxDuration = "10m")
    void check(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        String yaml = text;
        String envPart = "";
        String argsPart = "";
        int env = text.indexOf("\n%%env\n");
        int args = text.indexOf("\n%%args\n");
        if (args >= 0) {
            argsPart = text.substring(args + 8);
            yaml = text.substring(0, args);
        }
        if (env >= 0 && (args < 0 || env < args)) {
            envPart = yaml.substring(env + 7);
            yaml = yaml.substring(0, env);
        }
        Files.write(configFile, yaml.getBytes(StandardCharsets.UTF_8));

        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : envPart.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                environment.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        // The file under test is given first, so an argument or variable naming another file is
        // reported as a duplicate instead of reading an arbitrary path (such as /dev/zero).
        List<String> argv = new ArrayList<>(List.of("check", "--config", configFile.toString()));
        for (String line : argsPart.split("\n")) {
            if (!line.isEmpty()) {
                argv.add(line);
            }
        }
        environment.remove("SIGNALING_CONFIG");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Launcher launcher = new Launcher(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), action -> { });
        // Anything thrown fails the test: run must turn every input into an exit code.
        int exit = launcher.run(argv.toArray(String[]::new));
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);

        if (argv.contains("--help") || argv.contains("-h") || argv.contains("--version") || argv.contains("-V")) {
            assertThat(exit).isZero();
            return;
        }
        assertThat(exit).as("exit code; stderr:%n%s", stderr).isIn(0, 2);
        if (exit == 0) {
            assertThat(stdout).startsWith("# configuration is valid");
            assertThat(stderr).isEmpty();
        } else {
            assertThat(stderr).startsWith("signaling: invalid configuration, nothing was started:\n");
            assertThat(stderr.lines().skip(1).filter(line -> !line.isBlank()).count())
                    .as("at least one problem listed").isPositive();
            assertThat(stdout).isEmpty();
        }
        String output = stdout + stderr;
        if (!STACK_FRAME.matcher(text).find()) {
            assertThat(STACK_FRAME.matcher(output).find()).as("a stack frame in:%n%s", output).isFalse();
        }
        if (!EXCEPTION_NAME.matcher(text).find()) {
            assertThat(EXCEPTION_NAME.matcher(output).results().map(r -> r.group()).toList())
                    .as("exception class names leaked into:%n%s", output).isEmpty();
        }
    }
}
