package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A start from the built-in defaults takes the {@code default.yaml} layer from {@link Keys}
 * instead of parsing the file; these hold that the two are the same layer, value types included,
 * and that a {@code default.yaml} other than this module's own is still parsed.
 */
class DefaultsLayerTest {

    @Test
    void theLayerFromTheDeclarationsEqualsTheParsedDefaultYaml() throws IOException {
        String text;
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream("default.yaml")) {
            assertThat(in).as("default.yaml on the class path").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigSource source = new ConfigSource.Defaults();

        Map<String, Entry> parsed = new Layers().fromYaml(text, source, problems);
        Map<String, Entry> declared = new Layers().fromKeys(source, problems);

        assertThat(problems).isEmpty();
        assertThat(declared.keySet()).containsExactlyElementsOf(parsed.keySet());
        parsed.forEach((key, entry) -> {
            Entry other = declared.get(key);
            // JsonNode equality is type-sensitive: IntNode(1) differs from TextNode("1") and LongNode(1).
            assertThat(other.value().getClass()).as(key).isEqualTo(entry.value().getClass());
            assertThat(other.value()).as(key).isEqualTo(entry.value());
            assertThat(other.source()).as(key).isEqualTo(entry.source());
        });
    }

    @Test
    void aDefaultYamlFromAnotherLoaderIsParsed() {
        // Same resource name as this module's, different content and location: must be read, not assumed.
        ClassLoader own = ConfigLoader.class.getClassLoader();
        ClassLoader other = new ClassLoader(own) {
            @Override
            public java.net.URL getResource(String name) {
                return name.equals("default.yaml") ? null : super.getResource(name);
            }

            @Override
            public InputStream getResourceAsStream(String name) {
                if (!name.equals("default.yaml")) {
                    return super.getResourceAsStream(name);
                }
                try (InputStream in = own.getResourceAsStream(name)) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .replace("  port: 8080 ", "  port: 8181 ");
                    return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };

        SignalingConfig config = new ConfigLoader(other).load(ConfigRequest.of(Map.of()));

        assertThat(config.server().port()).isEqualTo(8181);
        assertThat(ConfigLoader.defaults().server().port()).isEqualTo(8080);
    }
}
