package io.signaling.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/embedding.md cannot drift from code that runs: its host is {@link ExampleHost} (which
 * {@link EmbeddedSignalingTest} runs), its Maven block is the one {@code examples/embedding-host}
 * builds with (which {@code scripts/check-installed-artifacts.sh} builds against the installed
 * artifacts), and its version is this build's.
 */
class EmbeddingGuideTest {

    private static final Path REPO = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).getParent();
    private static final Path GUIDE = REPO.resolve("docs/embedding.md");

    @Test
    void theGuidesHostIsExampleHostVerbatim() throws IOException {
        String guide = codeBlock(section(read(GUIDE), "## A complete host"), "java");
        String source = read(REPO.resolve("signaling-embedded/src/test/java/io/signaling/embedded/ExampleHost.java"));
        // The test copy adds its package and a class comment, and needs no import of its own
        // package's EmbeddedSignaling; the rest is the guide's text.
        String withoutPackage = source.replaceFirst("package io\\.signaling\\.embedded;\\n\\n", "")
                .replaceFirst("(?s)/\\*\\*.*?\\*/\\n(public final class)", "$1");
        assertThat(guide).contains("import io.signaling.embedded.EmbeddedSignaling;\n");
        assertThat(guide.replace("import io.signaling.embedded.EmbeddedSignaling;\n", "")).isEqualTo(withoutPackage);
    }

    @Test
    void theGuidesMavenBlockIsTheExampleProjectsAndThisVersion() throws IOException {
        String block = codeBlock(section(read(GUIDE), "## Maven dependencies"), "xml");
        String pom = read(REPO.resolve("examples/embedding-host/pom.xml"));
        String management = element(pom, "dependencyManagement");
        // The example's own test dependencies are not the guide's business.
        String dependencies = element(pom.substring(pom.indexOf("</dependencyManagement>")), "dependencies")
                .replaceAll("(?s)\\s*<dependency>(?:(?!</dependency>).)*<scope>test</scope>\\s*</dependency>", "");
        assertThat(normalized(block)).isEqualTo(normalized(management + "\n" + dependencies));

        String version = System.getProperty("project.version");
        assertThat(version).as("project.version from the build").isNotBlank();
        Matcher versions = Pattern.compile("<version>([^<]*)</version>").matcher(block);
        assertThat(versions.find()).as("the guide names a version").isTrue();
        do {
            assertThat(versions.group(1)).as("version in the guide").isEqualTo(version);
        } while (versions.find());
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("section %s of %s", heading, GUIDE).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 2);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String codeBlock(String text, String language) {
        Matcher m = Pattern.compile("(?s)```" + language + "\\n(.*?)```").matcher(text);
        assertThat(m.find()).as("a ```%s block", language).isTrue();
        return m.group(1);
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("(?s)<(" + name + ")>.*?</\\1>").matcher(xml);
        assertThat(m.find()).as("<%s> in the example POM", name).isTrue();
        return m.group();
    }

    private static String normalized(String xml) {
        return xml.replaceAll(">\\s+<", "><").replaceAll("\\s+", " ").strip();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
