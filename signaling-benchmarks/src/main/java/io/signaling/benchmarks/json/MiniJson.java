package io.signaling.benchmarks.json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deliberately tiny JSON reader/writer for the benchmark tools.
 *
 * <p>The baseline server and the load tool must not pay for (or be skewed by) a general JSON
 * library: the baseline stands for "what Undertow costs", and the load tool must stay lean enough
 * to drive 10,000 connections on one core. Only what the signaling contract needs is supported:
 * reading the top-level members of one object as raw JSON text (so a relay can forward
 * {@code payload} unchanged) and quoting strings. Stateless and thread-safe.
 */
public final class MiniJson {

    private MiniJson() {
    }

    /**
     * Parses one JSON object and returns its top-level members, each value as its raw JSON text
     * (strings keep their quotes). Later duplicate keys win, as in most JSON libraries.
     *
     * @throws IllegalArgumentException when the text is not exactly one well-formed JSON object
     */
    public static Map<String, String> parseObject(String text) {
        var p = new Parser(text);
        p.ws();
        p.expect('{');
        var out = new LinkedHashMap<String, String>();
        p.ws();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.ws();
                int keyStart = p.pos;
                p.string();
                String key = unquote(text.substring(keyStart, p.pos));
                p.ws();
                p.expect(':');
                p.ws();
                int valueStart = p.pos;
                p.value(0);
                out.put(key, text.substring(valueStart, p.pos));
                p.ws();
                char c = p.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw p.error("expected ',' or '}'");
                }
            }
        }
        p.ws();
        if (p.pos != text.length()) {
            throw p.error("trailing characters after the object");
        }
        return out;
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
        if (literal.length() < 2 || literal.charAt(0) != '"' || literal.charAt(literal.length() - 1) != '"') {
            throw new IllegalArgumentException("not a JSON string literal: " + literal);
        }
        if (literal.indexOf('\\') < 0) {
            return literal.substring(1, literal.length() - 1);
        }
        var sb = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
        return sb.toString();
    }

    /** Returns {@code s} as a quoted, escaped JSON string literal. */
    public static String quote(String s) {
        var sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    /** Appends {@code s} to {@code sb} as a quoted, escaped JSON string literal. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static final class Parser {
        // Nesting bound so a hostile frame cannot blow the IO thread's stack.
        private static final int MAX_DEPTH = 64;
        private final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        char next() {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            return s.charAt(pos++);
        }

        void expect(char c) {
            if (next() != c) {
                pos--;
                throw error("expected '" + c + "'");
            }
        }

        void ws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        void string() {
            expect('"');
            while (true) {
                char c = next();
                if (c == '"') {
                    return;
                }
                if (c == '\\') {
                    char e = next();
                    if (e == 'u') {
                        for (int i = 0; i < 4; i++) {
                            if (Character.digit(next(), 16) < 0) {
                                throw error("bad \\u escape");
                            }
                        }
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        throw error("bad escape");
                    }
                } else if (c < 0x20) {
                    throw error("control character in string");
                }
            }
        }

        void value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            char c = peek();
            switch (c) {
                case '"' -> string();
                case '{' -> container('{', '}', depth, true);
                case '[' -> container('[', ']', depth, false);
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            }
        }

        void container(char open, char close, int depth, boolean object) {
            expect(open);
            ws();
            if (peek() == close) {
                pos++;
                return;
            }
            while (true) {
                ws();
                if (object) {
                    string();
                    ws();
                    expect(':');
                    ws();
                }
                value(depth + 1);
                ws();
                char c = next();
                if (c == close) {
                    return;
                }
                if (c != ',') {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        void literal(String word) {
            if (!s.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
        }

        // RFC 8259 grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? so a relay never forwards
        // a payload that is not JSON.
        void number() {
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                throw error("expected a JSON value");
            }
            if (peek() == '.') {
                pos++;
                if (!digits()) {
                    throw error("expected digits after '.'");
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    throw error("expected digits in the exponent");
                }
            }
        }

        private boolean digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at offset " + pos);
        }
    }
}
