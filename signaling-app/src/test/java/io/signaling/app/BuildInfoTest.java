package io.signaling.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.testing.RequiredPrograms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Built from a git checkout, the jar knows its commit (/debug/runtime, the startup line). */
class BuildInfoTest {

    @Test
    void theCommitIsTheCheckoutsHead() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path git = RequiredPrograms.require("git", "apt-get install git");
        Process p = new ProcessBuilder(git.toString(), "rev-parse", "HEAD").directory(module.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            RequiredPrograms.unavailable("not a git checkout (" + out + ")", "build from a git clone");
        }
        assertThat(Files.exists(module.resolve("target/classes/git-commit.txt"))).as("recorded by the build").isTrue();

        // Equal up to a "-dirty" suffix: a working copy with local changes says so.
        assertThat(BuildInfo.load().commit()).matches(out + "(-dirty)?");
    }
}
