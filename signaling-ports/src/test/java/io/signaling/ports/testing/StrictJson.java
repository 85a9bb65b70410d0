package io.signaling.ports.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON reading for tests, on Jackson: malformed input, trailing garbage and duplicate keys
 * throw {@link IllegalArgumentException} with the location, so a test that parses a body also
 * proves the body is valid JSON. Values come back as plain Java: objects {@code LinkedHashMap}s,
 * arrays {@code List}s, numbers {@code BigDecimal}s, JSON null {@code null}.
 */
public final class StrictJson {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    public static Object parse(String text) {
        try {
            return toJava(STRICT.readTree(text), null);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage() + " at " + e.getLocation() + " in: " + text, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        return (Map<String, Object>) value;
    }

    /**
     * A Jackson tree as plain Java values, JSON null as {@code nullValue} (absent and null differ
     * where that matters); {@code null} for a missing tree.
     */
    public static Object toJava(JsonNode node, Object nullValue) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue(), nullValue)));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(toJava(item, nullValue)));
            return list;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return nullValue;
        }
        return node.textValue();
    }
}
