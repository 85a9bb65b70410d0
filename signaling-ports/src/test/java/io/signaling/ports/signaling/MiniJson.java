package io.signaling.ports.signaling;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser for tests: objects become {@link LinkedHashMap}, arrays
 * {@link List}, numbers {@link BigDecimal}, JSON null {@link #NULL}. For each member of the top-level
 * object it also keeps the raw text of the value, which is what a codec hands over as a payload.
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

    /** A parsed top-level object: its values and the raw text of each. */
    public record Document(Object value, Map<String, String> rawMembers) {
    }

    public static final class SyntaxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;
    private final Map<String, String> raw = new LinkedHashMap<>();

    private MiniJson(String text) {
        this.text = text;
    }

    public static Object parse(String text) {
        return parseDocument(text).value();
    }

    public static Document parseDocument(String text) {
        MiniJson parser = new MiniJson(text);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw new SyntaxException("trailing characters at " + parser.pos);
        }
        return new Document(value, parser.raw);
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new SyntaxException("nested too deeply");
        }
        if (pos >= text.length()) {
            throw new SyntaxException("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                return number();
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new SyntaxException("expected a member name at " + pos);
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            int start = pos;
            Object v = value(depth + 1);
            if (depth == 0) {
                raw.put(key, text.substring(start, pos));
            }
            map.put(key, v);
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw new SyntaxException("expected ',' or '}' at " + (pos - 1));
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw new SyntaxException("expected ',' or ']' at " + (pos - 1));
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw new SyntaxException("bad unicode escape");
                        }
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw new SyntaxException("bad escape at " + (pos - 1));
                }
            } else if (c < 0x20) {
                throw new SyntaxException("control character in string at " + (pos - 1));
            } else {
                sb.append(c);
            }
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw new SyntaxException("unexpected token at " + pos);
        }
        pos += word.length();
        return value;
    }

    private BigDecimal number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        try {
            return new BigDecimal(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw new SyntaxException("bad number at " + start);
        }
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw new SyntaxException("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new SyntaxException("expected '" + c + "' at " + (pos - 1));
        }
    }
}
