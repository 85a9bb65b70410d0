package io.signaling.app.signaling;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Expected messages written compactly, and the raw text of a member as the server sent it. */
final class Json {

    private Json() {
    }

    /**
     * Parses {@code template} after {@link String#format} with single quotes standing for double
     * quotes, so that an expected message reads like the contract. Object comparison of the
     * result ignores member order, which the contract does not fix.
     */
    static JsonNode json(String template, Object... args) {
        return SignalingClient.parse(String.format(template.replace('\'', '"'), args));
    }

    /**
     * The exact characters of the top-level member {@code name} in {@code text}, whitespace and
     * number spelling included, or {@code null} when there is no such member.
     */
    static String rawMember(String text, String name) {
        try (JsonParser parser = SignalingClient.JSON.getFactory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new AssertionError("not an object: " + text);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                if (value == JsonToken.VALUE_STRING) {
                    // Strings are read lazily; finishing moves the location past the closing quote.
                    parser.finishToken();
                }
                int end = (int) parser.currentLocation().getCharOffset();
                if (field.equals(name)) {
                    return text.substring(start, end);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
