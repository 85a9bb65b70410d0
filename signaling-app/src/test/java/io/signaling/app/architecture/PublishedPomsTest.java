package io.signaling.app.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a consumer of the library relies on, read from the POMs: the BOM names every published
 * module (and nothing else), and every published POM has the metadata a public repository requires.
 * scripts/check-installed-artifacts.sh checks the installed result.
 */
class PublishedPomsTest {

    /** Modules of the reactor that are not published as library artifacts. */
    private static final Set<String> UNPUBLISHED = Set.of("signaling-bom", "signaling-benchmarks");

    private static final Path ROOT = repoRoot();

    @Test
    void theBomListsEveryPublishedModule() throws IOException {
        Set<String> modules = new TreeSet<>(all(read("pom.xml"), "<module>([^<]+)</module>"));
        modules.removeAll(UNPUBLISHED);
        String bom = read("signaling-bom/pom.xml").replaceAll("(?s)<!--.*?-->", "");
        Set<String> managed = new TreeSet<>(all(bom.substring(bom.indexOf("<dependencyManagement>")),
                "<artifactId>([^<]+)</artifactId>"));
        assertThat(managed).isEqualTo(modules);
        assertThat(bom).as("the BOM must not inherit the parent's dependencyManagement").doesNotContain("<parent>");
    }

    @Test
    void everyPublishedPomHasTheMetadataARepositoryRequires() throws IOException {
        for (String pom : List.of("pom.xml", "signaling-bom/pom.xml")) {
            String text = read(pom);
            for (String element : List.of("<name>", "<description>", "<url>", "<licenses>", "<developers>", "<scm",
                    "<project.build.outputTimestamp>")) {
                assertThat(text).as("%s has %s", pom, element).contains(element);
            }
        }
        for (String module : all(read("pom.xml"), "<module>([^<]+)</module>")) {
            String text = read(module + "/pom.xml");
            assertThat(text).as("%s has a name", module).contains("<name>");
            assertThat(text).as("%s has a description", module).contains("<description>");
        }
    }

    private static List<String> all(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text.replaceAll("(?s)<!--.*?-->", ""));
        while (m.find()) {
            found.add(m.group(1).trim());
        }
        return found;
    }

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path), StandardCharsets.UTF_8);
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
