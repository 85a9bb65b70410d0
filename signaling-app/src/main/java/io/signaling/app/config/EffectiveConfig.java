package io.signaling.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;

/**
 * The effective configuration as YAML, in the same shape and units as {@code default.yaml}, with
 * secrets masked as {@code ******} (an unset one shows as empty: operators need to see that, and
 * it reveals nothing). Its output is itself a valid config file (apart from the masked secrets),
 * which is what {@code check} prints and the launcher logs at debug. Every key is rendered by
 * its declared type ({@link Keys}).
 */
public final class EffectiveConfig {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private EffectiveConfig() {
    }

    public static String render(SignalingConfig c) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Keys.Section<?> section : Keys.SECTIONS) {
            Record values = (Record) Records.component(c, Key.camel(section.name()));
            ObjectNode node = root.putObject(section.name());
            for (Key<?> key : section.keys()) {
                node.set(key.name().substring(section.name().length() + 1), render(key, section.value(values, key)));
            }
        }
        // What the node will use, as the README says: the host name when no instance id is set.
        ((ObjectNode) root.get("service")).put("instance-id", c.service().instanceIdOrHostname());
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen: an in-memory tree of scalars
        }
    }

    @SuppressWarnings("unchecked")
    static <T> JsonNode render(Key<T> key, Object value) {
        return key.type().render((T) value);
    }
}
