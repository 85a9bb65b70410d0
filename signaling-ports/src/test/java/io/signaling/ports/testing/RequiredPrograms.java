package io.signaling.ports.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need a program the machine may lack (redis-server, turnserver,
 * chromium, podman, node, …): on a developer's machine such a test is skipped with one line
 * saying what to install; under {@code CI=true} (how {@code .ci/run} runs) the same absence fails
 * the test, so CI can never pass by skipping.
 *
 * <p>Stateless and thread-safe; looks the program up on {@code PATH} (or takes an absolute path).
 */
public final class RequiredPrograms {

    private RequiredPrograms() {
    }

    /**
     * Returns the program's path, or skips (fails under CI) the calling test.
     *
     * @param program a name looked up on {@code PATH}, or an absolute path
     * @param install what to run to get it, e.g. {@code "apt-get install redis-server"}
     */
    public static Path require(String program, String install) {
        Optional<Path> found = find(program);
        if (found.isPresent()) {
            return found.get();
        }
        unavailable(program + " is not installed", install);
        throw new AssertionError("unreachable");
    }

    /**
     * Skips (fails under CI) the calling test with the reason and what to do about it; for a
     * prerequisite that is not a program ({@code npm ci} not run, not root, …).
     */
    public static void unavailable(String what, String install) {
        String line = what + " — to run this test: " + install;
        if (underCi()) {
            Assertions.fail("CI=true and " + line);
        }
        Assumptions.abort(line);
    }

    /** True when running as {@code .ci/run} does, where a missing prerequisite is a failure. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The program's path when it exists and is executable; no skip, no failure. */
    public static Optional<Path> find(String program) {
        if (program.contains(File.separator)) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        // sbin directories are often off a non-root user's PATH though the program is installed.
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/local/sbin"}) {
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
