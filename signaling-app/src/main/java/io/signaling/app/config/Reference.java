package io.signaling.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The two documents written from {@link Keys}: {@code default.yaml} (every key with its default
 * and doc) and the README's configuration table. {@code ConfigReferenceTest} fails when the
 * checked-in files differ from these, and writes them with {@code -Dconfig.write=true}.
 */
final class Reference {

    static final String README_BEGIN = "<!-- config-keys:begin: generated from io.signaling.app.config.Keys "
            + "(see its doc to add a key); do not edit by hand -->";
    static final String README_END = "<!-- config-keys:end -->";

    private static final String HEADER = """
            # Built-in defaults: every setting, with its default. Layers above it (profile, --config file,
            # SIGNALING_* environment, --key=value flags) only name what they change.
            # Env form of a key: SIGNALING_ + the key upper-cased, dashes dropped, dots as "_",
            # e.g. shutdown.drain-timeout -> SIGNALING_SHUTDOWN_DRAINTIMEOUT.
            # Durations: 500ms, 30s, 2m, 1h, 1d or ISO-8601 (PT30S). Sizes: 512B, 64KiB, 1MiB, 1GiB or bytes.
            # Generated from io.signaling.app.config.Keys (see its doc to add a key); do not edit by hand.
            """;

    private static final int COMMENT_COLUMN = 27;

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private Reference() {
    }

    static String defaultYaml() {
        StringBuilder out = new StringBuilder(HEADER);
        for (Keys.Section<?> section : Keys.SECTIONS) {
            out.append('\n').append(section.name()).append(":\n");
            for (Key<?> key : section.keys()) {
                JsonNode value = EffectiveConfig.render(key, key.defaultValue());
                String local = key.name().substring(section.name().length() + 1);
                List<String> items = new ArrayList<>();
                String line = "  " + local + ": ";
                if (value.isArray() && !value.isEmpty()) {
                    value.forEach(item -> items.add("    - " + scalar(item)));
                    line = "  " + local + ":";
                } else {
                    line += value.isContainerNode() ? (value.isArray() ? "[]" : "{}") : scalar(value);
                }
                out.append(line).append(" ".repeat(Math.max(1, COMMENT_COLUMN - line.length())))
                        .append("# ").append(key.doc().replace("`", "")).append('\n');
                items.forEach(item -> out.append(item).append('\n'));
            }
        }
        return out.toString();
    }

    static String readmeTable() {
        StringBuilder out = new StringBuilder(README_BEGIN).append('\n');
        out.append("| key | default | env form | meaning |\n|---|---|---|---|\n");
        for (Key<?> key : Keys.all()) {
            JsonNode value = EffectiveConfig.render(key, key.defaultValue());
            String shown;
            if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                shown = "[" + String.join(", ", items) + "]";
            } else if (value.isObject()) {
                shown = "{}";
            } else {
                shown = value.asText().isEmpty() ? "\"\"" : value.asText();
            }
            String env = key.type() instanceof Types.MapType ? key.envName() + "_<NAME>" : key.envName();
            out.append("| `").append(key.name()).append("` | `").append(shown).append("` | `").append(env)
                    .append("` | ").append(key.doc()).append(" |\n");
        }
        return out.append(README_END).append('\n').toString();
    }

    private static String scalar(JsonNode value) {
        try {
            String text = YAML.writeValueAsString(value).strip();
            // A document of one scalar may start with a marker the generator adds for quoted text.
            return text.startsWith("--- ") ? text.substring(4) : text;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen: a scalar
        }
    }
}
