package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code default.yaml} and the README's configuration table are written from {@link Keys}; this
 * fails when either differs. After changing a declaration, rewrite both with
 * {@code ./mvnw -o -pl signaling-app -am verify -Dtest=ConfigReferenceTest -Dconfig.write=true
 * -Dsurefire.failIfNoSpecifiedTests=false} and commit them.
 */
class ConfigReferenceTest {

    private static final Path DEFAULT_YAML = Path.of("src/main/resources/default.yaml");
    private static final Path README = Path.of("../README.md");
    private static final boolean WRITE = Boolean.getBoolean("config.write");
    private static final String HOW = "; regenerate with -Dtest=ConfigReferenceTest -Dconfig.write=true";

    @Test
    void defaultYamlIsWrittenFromTheDeclarations() throws IOException {
        String expected = Reference.defaultYaml();
        if (WRITE) {
            Files.writeString(DEFAULT_YAML, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DEFAULT_YAML)).as("default.yaml" + HOW).isEqualTo(expected);
    }

    @Test
    void theReadmeTableIsWrittenFromTheDeclarations() throws IOException {
        String readme = Files.readString(README);
        int begin = readme.indexOf(Reference.README_BEGIN);
        int end = readme.indexOf(Reference.README_END);
        assertThat(begin).as("README markers").isNotNegative();
        assertThat(end).as("README markers").isGreaterThan(begin);
        String table = readme.substring(begin, end + Reference.README_END.length() + 1);
        String expected = Reference.readmeTable();
        if (WRITE) {
            Files.writeString(README, readme.replace(table, expected), StandardCharsets.UTF_8);
            table = expected;
        }
        assertThat(table).as("README configuration table" + HOW).isEqualTo(expected);
    }

    @Test
    void theDefaultsLoadedFromDefaultYamlAreTheDeclaredOnes() {
        // A writing run reads the default.yaml copied to the class path before it was rewritten.
        Assumptions.assumeFalse(WRITE, "default.yaml was just rewritten; run again without -Dconfig.write");
        // Independent of the text comparison above: what the loader reads back is each declared default.
        SignalingConfig defaults = new ConfigLoader().load(ConfigRequest.of(Map.of()));

        for (Keys.Section<?> section : Keys.SECTIONS) {
            Record values = (Record) Records.component(defaults, Key.camel(section.name()));
            for (Key<?> key : section.keys()) {
                assertThat(section.value(values, key)).as(key.name()).isEqualTo(key.defaultValue());
            }
        }
    }

    @Test
    void everyKeyHasADocLineAndAUniqueName() {
        assertThat(Keys.all()).extracting(Key::name).doesNotHaveDuplicates();
        assertThat(Keys.all()).allSatisfy(k -> assertThat(k.doc()).isNotBlank().doesNotContain("\n", "|"));
    }

    @Test
    void secretsAreDeclaredByTheirType() {
        assertThat(Schema.SECRETS).containsExactlyInAnyOrder("redis.password", "turn.secrets");
    }
}
