package io.signaling.adapter.jwt;

/** Counts JSON nesting without parsing, so a deeply nested document never reaches a recursive parser. */
final class JsonDepth {

    private JsonDepth() {
    }

    /** Whether objects and arrays in {@code json} nest deeper than {@code max} (brackets inside strings do not count). */
    static boolean exceeds(String json, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > max) {
                    return true;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return false;
    }
}
