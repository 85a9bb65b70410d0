package io.signaling.app.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reader of docker/entrypoint-command.txt: what it accepts, and that it refuses what it does not know. */
class ImageEntrypointTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryDirectiveVerbatimAndSubstitutesImageFiles() throws IOException {
        Files.createDirectories(dir.resolve("app/target"));
        Files.writeString(dir.resolve("app/target/app-1.2-all.jar"), "");
        Files.writeString(dir.resolve("app/target/app-1.2.pom"), "");
        ImageEntrypoint ep = ImageEntrypoint.parse(write("""
                # comment
                format 2

                arg java
                arg -XX:SharedArchiveFile=/app/x.jsa
                arg -jar
                arg /app/x.jar
                env OPTS=-Xmx1g -Dy=a=b
                env EMPTY=
                file /app/x.jar app/target/app-*-all.jar
                generated /app/x.jsa
                generate java
                generate -XX:ArchiveClassesAtExit=/app/x.jsa
                generate -jar
                generate /app/x.jar
                generate warmup
                user 1:1
                workdir /app
                expose 8080
                expose 9090
                healthcheck http://127.0.0.1:8080/health/live
                stopsignal SIGTERM
                """));

        assertThat(ep.args()).containsExactly("java", "-XX:SharedArchiveFile=/app/x.jsa", "-jar", "/app/x.jar");
        assertThat(ep.generated()).containsOnlyKeys("/app/x.jsa");
        assertThat(ep.generated().get("/app/x.jsa"))
                .containsExactly("java", "-XX:ArchiveClassesAtExit=/app/x.jsa", "-jar", "/app/x.jar", "warmup");
        assertThat(ep.env()).containsExactlyInAnyOrderEntriesOf(Map.of("OPTS", "-Xmx1g -Dy=a=b", "EMPTY", ""));
        assertThat(ep.exposed()).containsExactly(8080, 9090);
        assertThat(ep.stopSignal()).isEqualTo("SIGTERM");
        Path jar = ep.localFile(dir, "/app/x.jar");
        assertThat(jar).isEqualTo(dir.resolve("app/target/app-1.2-all.jar"));
        assertThat(ep.substitute("/app/x.jar", Map.of("/app/x.jar", jar))).isEqualTo(jar.toString());
        assertThat(ep.substitute("/app/x.jarx", Map.of("/app/x.jar", jar))).isEqualTo("/app/x.jarx");
        Path archive = dir.resolve("x.jsa");
        assertThat(ep.substitute("-XX:SharedArchiveFile=/app/x.jsa", Map.of("/app/x.jsa", archive)))
                .as("an option's value").isEqualTo("-XX:SharedArchiveFile=" + archive);
        assertThat(ep.substitute("-XX:SharedArchiveFile=/other/app/x.jsa", Map.of("/app/x.jsa", archive)))
                .as("only the whole value after '='").isEqualTo("-XX:SharedArchiveFile=/other/app/x.jsa");
    }

    @Test
    void generateLinesNeedTheirGeneratedPathAndShellSafeValues() throws IOException {
        Path orphan = write("format 2\narg java\ngenerate x\nhealthcheck http://x\nstopsignal SIGTERM\n");
        assertThatThrownBy(() -> ImageEntrypoint.parse(orphan)).hasMessageContaining(":3: generate before any generated");
        Path unsafe = write("format 2\narg java\ngenerated /a\ngenerate echo $HOME\nhealthcheck http://x\nstopsignal SIGTERM\n");
        assertThatThrownBy(() -> ImageEntrypoint.parse(unsafe)).hasMessageContaining(":4: a generate value holds characters");
        Path empty = write("format 2\narg java\ngenerated /a\nhealthcheck http://x\nstopsignal SIGTERM\n");
        assertThatThrownBy(() -> ImageEntrypoint.parse(empty)).hasMessageContaining("generated /a has no generate lines");
    }

    @Test
    void refusesAnUnknownFormatVersion() throws IOException {
        Path file = write("format 1\narg java\nhealthcheck http://x\nstopsignal SIGTERM\n");
        assertThatThrownBy(() -> ImageEntrypoint.parse(file)).hasMessageContaining("unknown format version (this reader knows 2)");
    }

    @Test
    void refusesAnUnknownDirectiveRatherThanDroppingIt() throws IOException {
        Path file = write("format 2\narg java\nvolume /data\nhealthcheck http://x\nstopsignal SIGTERM\n");
        assertThatThrownBy(() -> ImageEntrypoint.parse(file)).hasMessageContaining(":3: unknown keyword 'volume'");
    }

    @Test
    void anAmbiguousOrMissingFileIsAnError() throws IOException {
        Files.createDirectories(dir.resolve("t"));
        Files.writeString(dir.resolve("t/a-1-all.jar"), "");
        Files.writeString(dir.resolve("t/a-2-all.jar"), "");
        ImageEntrypoint ep = ImageEntrypoint.parse(write("""
                format 2
                arg java
                file /app/a.jar t/a-*-all.jar
                file /app/b.jar t/b.jar
                healthcheck http://x
                stopsignal SIGTERM
                """));
        assertThatThrownBy(() -> ep.localFile(dir, "/app/a.jar")).hasMessageContaining("matches 2 files");
        assertThatThrownBy(() -> ep.localFile(dir, "/app/b.jar")).hasMessageContaining("matches 0 files");
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("entrypoint-command.txt"), text);
    }
}
