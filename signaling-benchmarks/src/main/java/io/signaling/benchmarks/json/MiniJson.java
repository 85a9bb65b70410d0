package io.signaling.benchmarks.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark tools' JSON, on Jackson's streaming parser (jackson-core, as the server's codec):
 * the top-level members of one object as raw JSON text (so a relay can forward {@code payload}
 * unchanged) and quoted strings. No tree and no data binding, so the baseline server and the
 * load tool stay lean enough to drive 10,000 connections on one core. Stateless and thread-safe.
 */
public final class MiniJson {

    private static final int MAX_DEPTH = 64;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private MiniJson() {
    }

    /**
     * Parses one JSON object and returns its top-level members, each value as its raw JSON text
     * (strings keep their quotes). Later duplicate keys win, as in most JSON libraries.
     *
     * @throws IllegalArgumentException when the text is not exactly one well-formed JSON object,
     *                                  naming the offset
     */
    public static Map<String, String> parseObject(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(p, "expected '{'");
            }
            var out = new LinkedHashMap<String, String>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                int start = (int) p.currentTokenLocation().getCharOffset();
                if (value.isStructStart()) {
                    p.skipChildren();
                } else {
                    p.finishToken();
                }
                out.put(key, text.substring(start, (int) p.currentLocation().getCharOffset()));
            }
            if (p.nextToken() != null) {
                throw error(p, "trailing characters after the object");
            }
            return out;
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            throw new IllegalArgumentException("malformed JSON at offset " + offset + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does no I/O
        }
    }

    /** Returns the string value of a raw JSON member, or null when absent or not a string. */
    public static String string(Map<String, String> members, String key) {
        String raw = members.get(key);
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '"') {
            return null;
        }
        return unquote(raw);
    }

    /** Returns the whole-number value of a raw JSON member, or {@code fallback}. */
    public static long number(Map<String, String> members, String key, long fallback) {
        String raw = members.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Decodes a quoted JSON string literal (with its quotes) into its Java value. */
    public static String unquote(String literal) {
        try (JsonParser p = JSON.createParser(literal)) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("not a JSON string literal: " + literal);
            }
            String value = p.getText();
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("not a single JSON string literal: " + literal);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON string literal: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns {@code s} as a quoted, escaped JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    /** Appends {@code s} to {@code sb} as a quoted, escaped JSON string literal. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }

    private static IllegalArgumentException error(JsonParser p, String what) {
        return new IllegalArgumentException(what + " at offset " + p.currentTokenLocation().getCharOffset());
    }
}
