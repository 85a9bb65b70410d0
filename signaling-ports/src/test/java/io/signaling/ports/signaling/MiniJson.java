package io.signaling.ports.signaling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.signaling.ports.testing.StrictJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON reading for tests, on Jackson: objects become {@link LinkedHashMap}, arrays {@link List},
 * numbers {@link BigDecimal}, JSON null {@link #NULL}. For each member of a top-level object it also
 * keeps the raw text of the value, which is what a codec hands over as a payload. Nesting deeper
 * than 64 levels is refused (as a codec must refuse it, without a stack overflow).
 */
public final class MiniJson {

    /** JSON null, distinct from an absent member. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_DEPTH = 64;

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .build();

    /**
     * A parsed top-level object: its values and the raw text of each (the last of a repeated
     * member), and the names of the members that appeared more than once.
     */
    public record Document(Object value, Map<String, String> rawMembers, java.util.Set<String> repeated) {
        public Document(Object value, Map<String, String> rawMembers) {
            this(value, rawMembers, java.util.Set.of());
        }
    }

    public static final class SyntaxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private MiniJson() {
    }

    public static Object parse(String text) {
        return parseDocument(text).value();
    }

    public static Document parseDocument(String text) {
        Map<String, String> raw = new LinkedHashMap<>();
        java.util.Set<String> repeated = new java.util.HashSet<>();
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new SyntaxException("unexpected end", null);
            }
            JsonNode value;
            if (first == JsonToken.START_OBJECT) {
                // Member by member, to slice each value's raw text from the input by its offsets.
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    JsonNode member = JSON.readTree(parser);
                    int end = (int) parser.currentLocation().getCharOffset();
                    if (raw.put(name, text.substring(start, end)) != null) {
                        repeated.add(name);
                    }
                    object.set(name, member);
                }
                value = object;
            } else {
                value = JSON.readTree(parser);
            }
            if (parser.nextToken() != null) {
                throw new SyntaxException("trailing characters at " + parser.currentTokenLocation().getCharOffset(),
                        null);
            }
            return new Document(StrictJson.toJava(value, NULL), raw, java.util.Set.copyOf(repeated));
        } catch (IOException e) {
            throw new SyntaxException(e.getMessage(), e);
        }
    }
}
