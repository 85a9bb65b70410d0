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
                format 1

                arg java
                arg -jar
                arg /app/x.jar
                env OPTS=-Xmx1g -Dy=a=b
                env EMPTY=
                file /app/x.jar app/target/app-*-all.jar
                user 1:1
                workdir /app
                expose 8080
                expose 9090
                healthcheck http://127.0.0.1:8080/health/live
                stopsignal SIGTERM
                """));

        assertThat(ep.args()).containsExactly("java", "-jar", "/app/x.jar");
        assertThat(ep.env()).containsExactlyInAnyOrderEntriesOf(Map.of("OPTS", "-Xmx1g -Dy=a=b", "EMPTY", ""));
        assertThat(ep.exposed()).containsExactly(8080, 9090);
        assertThat(ep.stopSignal()).isEqualTo("SIGTERM");
        Path jar = ep.localFile(dir, "/app/x.jar");
        assertThat(jar).isEqualTo(dir.resolve("app/target/app-1.2-all.jar"));
        assertThat(ep.substitute("/app/x.jar", Map.of("/app/x.jar", jar))).isEqualTo(jar.toString());
        assertThat(ep.substitute("/app/x.jarx", Map.of("/app/x.jar", jar))).isEqualTo("/app/x.jarx");
    }

    @Test
    void refusesAnUnknownFormatVersion() throws IOException {
        Path file = write("format 2\narg java\nhealthcheck http://x\nstopsignal SIGTERM\n");
        assertThatThrownBy(() -> ImageEntrypoint.parse(file)).hasMessageContaining("unknown format version");
    }

    @Test
    void refusesAnUnknownDirectiveRatherThanDroppingIt() throws IOException {
        Path file = write("format 1\narg java\nvolume /data\nhealthcheck http://x\nstopsignal SIGTERM\n");
        assertThatThrownBy(() -> ImageEntrypoint.parse(file)).hasMessageContaining(":3: unknown keyword 'volume'");
    }

    @Test
    void anAmbiguousOrMissingFileIsAnError() throws IOException {
        Files.createDirectories(dir.resolve("t"));
        Files.writeString(dir.resolve("t/a-1-all.jar"), "");
        Files.writeString(dir.resolve("t/a-2-all.jar"), "");
        ImageEntrypoint ep = ImageEntrypoint.parse(write("""
                format 1
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
