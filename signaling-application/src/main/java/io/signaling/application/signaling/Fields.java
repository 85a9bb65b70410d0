package io.signaling.application.signaling;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of strings in one string, each as {@code <length>:<characters>}: the payload of the
 * envelopes of a session hand-over between nodes. Any character may appear in a field (encoded
 * messages, identities), and a truncated or altered payload fails to parse instead of being misread.
 */
final class Fields {

    private Fields() {
    }

    static String join(List<String> fields) {
        StringBuilder out = new StringBuilder();
        for (String field : fields) {
            out.append(field.length()).append(':').append(field);
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException when {@code text} is not a {@link #join} result */
    static List<String> split(String text) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int colon = text.indexOf(':', i);
            if (colon < 0 || colon == i || colon - i > 10) {
                throw new IllegalArgumentException("malformed field list at " + i);
            }
            int length;
            try {
                length = Integer.parseInt(text, i, colon, 10);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed field length at " + i, e);
            }
            int end = colon + 1 + length;
            if (length < 0 || end > text.length()) {
                throw new IllegalArgumentException("field runs past the end at " + i);
            }
            fields.add(text.substring(colon + 1, end));
            i = end;
        }
        return fields;
    }
}
