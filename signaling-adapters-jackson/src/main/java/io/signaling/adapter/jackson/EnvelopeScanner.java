package io.signaling.adapter.jackson;

import io.signaling.ports.signaling.Decoded;

/**
 * The fast path of {@link JacksonMessageCodec#decode}: one pass over the frame's chars that
 * validates it as strict JSON (RFC 8259, as Jackson reads it with its default features) and
 * reads only what routing needs: the plain string values of {@code type}, {@code id},
 * {@code room} and {@code to}, the payload's start and end offsets, and a plain client
 * {@code seq}. Nothing else is materialized.
 *
 * <p>It never decides an error. Whatever it is not sure of makes {@link #scan} return
 * {@code false} and the caller hands the frame to the Jackson parser, which decides and words the
 * error as it always did: a syntax error of any kind, a field name with an escape (the parser
 * unescapes names, so an escaped letter in {@code type} still names {@code type}), an escape or a
 * non-string in a routing value,
 * a member that appears twice, a {@code seq} that is not a plain whole number in range, nesting
 * close to the limit, a number literal close to its length limit, a name close to its length
 * limit. So for every frame it accepts, the Jackson path would have produced the same result
 * (checked by a differential test against {@link JacksonMessageCodec#decodeWithParser}).
 *
 * <p>Recursion is bounded by the nesting limit it accepts (at most {@value #MAX_FAST_DEPTH}).
 *
 * <p>Thread-safety: immutable, safe for concurrent use.
 */
final class EnvelopeScanner {

    /** Deeper frames go to the parser, whose iteration needs no stack. */
    static final int MAX_FAST_DEPTH = 64;
    /** The largest client {@code seq}: 2^53 - 1. */
    private static final long MAX_SEQ = (1L << 53) - 1;

    private static final int OTHER = 0;
    private static final int TYPE = 1;
    private static final int ID = 2;
    private static final int ROOM = 3;
    private static final int TO = 4;
    private static final int PAYLOAD = 5;
    private static final int SEQ = 6;

    private static final String[] KNOWN_TYPES = {"offer", "answer", "candidate", "join", "leave", "ping"};

    /** The deepest nesting accepted here, the envelope object being level 1. */
    private final int maxDepth;
    private final int maxNumberChars;
    private final int maxNameChars;

    /**
     * @param maxNestingDepth the parser's nesting limit (the envelope counts); this accepts one level less
     * @param maxNumberLength the parser's number length limit; this accepts literals of half of it
     * @param maxNameLength   the parser's name length limit; this accepts names shorter than it
     */
    EnvelopeScanner(int maxNestingDepth, int maxNumberLength, int maxNameLength) {
        this.maxDepth = Math.min(maxNestingDepth - 1, MAX_FAST_DEPTH);
        this.maxNumberChars = maxNumberLength / 2;
        this.maxNameChars = maxNameLength - 1;
    }

    /**
     * Reads {@code s} into {@code envelope} (which must be fresh).
     *
     * @return whether {@code s} is one valid JSON object read completely; {@code false} leaves
     *         {@code envelope} partly filled and the frame to the parser
     */
    boolean scan(String s, JacksonMessageCodec.Envelope envelope) {
        int n = s.length();
        int i = skipWhitespace(s, 0, n);
        if (i >= n || s.charAt(i) != '{' || maxDepth < 1) {
            return false;
        }
        i = skipWhitespace(s, i + 1, n);
        if (i >= n) {
            return false;
        }
        if (s.charAt(i) == '}') {
            return skipWhitespace(s, i + 1, n) == n;
        }
        while (true) {
            if (s.charAt(i) != '"') {
                return false;
            }
            int nameStart = i + 1;
            int nameEnd = plainStringEnd(s, nameStart, n);
            if (nameEnd < 0 || nameEnd - nameStart > maxNameChars) {
                return false;
            }
            i = skipWhitespace(s, nameEnd + 1, n);
            if (i >= n || s.charAt(i) != ':') {
                return false;
            }
            i = skipWhitespace(s, i + 1, n);
            if (i >= n) {
                return false;
            }
            int end;
            switch (member(s, nameStart, nameEnd)) {
                case TYPE:
                    end = routingString(s, i, n, envelope.type, true);
                    break;
                case ID:
                    end = routingString(s, i, n, envelope.id, false);
                    break;
                case ROOM:
                    end = routingString(s, i, n, envelope.room, false);
                    break;
                case TO:
                    end = routingString(s, i, n, envelope.to, false);
                    break;
                case PAYLOAD:
                    if (envelope.payloadCount > 0) {
                        return false;
                    }
                    end = value(s, i, n, 2);
                    envelope.payloadCount = 1;
                    envelope.payloadStart = i;
                    envelope.payloadEnd = end;
                    break;
                case SEQ:
                    end = value(s, i, n, 2);
                    long seq = end < 0 || envelope.seq != Decoded.Message.NO_SEQ ? -1 : plainSeq(s, i, end);
                    if (seq < 1) {
                        return false;
                    }
                    envelope.seq = seq;
                    break;
                default:
                    end = value(s, i, n, 2);
            }
            if (end < 0) {
                return false;
            }
            i = skipWhitespace(s, end, n);
            if (i >= n) {
                return false;
            }
            char c = s.charAt(i);
            if (c == '}') {
                return skipWhitespace(s, i + 1, n) == n;
            }
            if (c != ',') {
                return false;
            }
            i = skipWhitespace(s, i + 1, n);
            if (i >= n) {
                return false;
            }
        }
    }

    /** A string without escapes, read once: its end, or -1 for anything else (and for a second appearance). */
    private static int routingString(String s, int i, int n, JacksonMessageCodec.StringMember member, boolean type) {
        if (member.count > 0 || s.charAt(i) != '"') {
            return -1;
        }
        int end = plainStringEnd(s, i + 1, n);
        if (end < 0) {
            return -1;
        }
        member.set(type ? knownType(s, i + 1, end) : s.substring(i + 1, end));
        return end + 1;
    }

    /** The contract's type names as constants (no copy for the common case); any other text as read. */
    private static String knownType(String s, int start, int end) {
        int length = end - start;
        for (String known : KNOWN_TYPES) {
            if (known.length() == length && s.startsWith(known, start)) {
                return known;
            }
        }
        return s.substring(start, end);
    }

    private static int member(String s, int start, int end) {
        switch (end - start) {
            case 2:
                if (s.startsWith("id", start)) {
                    return ID;
                }
                return s.startsWith("to", start) ? TO : OTHER;
            case 3:
                return s.startsWith("seq", start) ? SEQ : OTHER;
            case 4:
                if (s.startsWith("type", start)) {
                    return TYPE;
                }
                return s.startsWith("room", start) ? ROOM : OTHER;
            case 7:
                return s.startsWith("payload", start) ? PAYLOAD : OTHER;
            default:
                return OTHER;
        }
    }

    /** 1 .. 2^53-1 written as plain digits without a leading zero; -1 for any other spelling. */
    private static long plainSeq(String s, int start, int end) {
        int length = end - start;
        if (length < 1 || length > 16 || s.charAt(start) == '0') {
            return -1;
        }
        long value = 0;
        for (int j = start; j < end; j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_SEQ ? value : -1;
    }

    /** The end of the JSON value starting at {@code i} (at nesting {@code depth} if it is a container), or -1. */
    private int value(String s, int i, int n, int depth) {
        switch (s.charAt(i)) {
            case '"': {
                int end = stringEnd(s, i + 1, n);
                return end < 0 ? -1 : end + 1;
            }
            case '{':
                return object(s, i + 1, n, depth);
            case '[':
                return array(s, i + 1, n, depth);
            case 't':
                return literal(s, i, n, "true");
            case 'f':
                return literal(s, i, n, "false");
            case 'n':
                return literal(s, i, n, "null");
            default:
                return number(s, i, n);
        }
    }

    private int object(String s, int i, int n, int depth) {
        if (depth > maxDepth) {
            return -1;
        }
        i = skipWhitespace(s, i, n);
        if (i >= n) {
            return -1;
        }
        if (s.charAt(i) == '}') {
            return i + 1;
        }
        while (true) {
            if (s.charAt(i) != '"') {
                return -1;
            }
            int nameEnd = stringEnd(s, i + 1, n);
            if (nameEnd < 0 || nameEnd - i - 1 > maxNameChars) {
                return -1;
            }
            i = skipWhitespace(s, nameEnd + 1, n);
            if (i >= n || s.charAt(i) != ':') {
                return -1;
            }
            i = skipWhitespace(s, i + 1, n);
            if (i >= n) {
                return -1;
            }
            int end = value(s, i, n, depth + 1);
            if (end < 0) {
                return -1;
            }
            i = skipWhitespace(s, end, n);
            if (i >= n) {
                return -1;
            }
            char c = s.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c != ',') {
                return -1;
            }
            i = skipWhitespace(s, i + 1, n);
            if (i >= n) {
                return -1;
            }
        }
    }

    private int array(String s, int i, int n, int depth) {
        if (depth > maxDepth) {
            return -1;
        }
        i = skipWhitespace(s, i, n);
        if (i >= n) {
            return -1;
        }
        if (s.charAt(i) == ']') {
            return i + 1;
        }
        while (true) {
            int end = value(s, i, n, depth + 1);
            if (end < 0) {
                return -1;
            }
            i = skipWhitespace(s, end, n);
            if (i >= n) {
                return -1;
            }
            char c = s.charAt(i);
            if (c == ']') {
                return i + 1;
            }
            if (c != ',') {
                return -1;
            }
            i = skipWhitespace(s, i + 1, n);
            if (i >= n) {
                return -1;
            }
        }
    }

    /**
     * The literal's end. What follows is checked by the caller (a separator or the end), so
     * {@code truex} is refused there as the parser refuses it.
     */
    private static int literal(String s, int i, int n, String word) {
        return s.startsWith(word, i) ? i + word.length() : -1;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, short enough; its end or -1. */
    private int number(String s, int i, int n) {
        int j = i;
        if (s.charAt(j) == '-') {
            j++;
        }
        if (j >= n) {
            return -1;
        }
        char c = s.charAt(j);
        if (c == '0') {
            j++;
        } else if (c >= '1' && c <= '9') {
            j = digits(s, j + 1, n);
        } else {
            return -1;
        }
        if (j < n && s.charAt(j) == '.') {
            int start = j + 1;
            j = digits(s, start, n);
            if (j == start) {
                return -1;
            }
        }
        if (j < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
            j++;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            int start = j;
            j = digits(s, start, n);
            if (j == start) {
                return -1;
            }
        }
        return j - i > maxNumberChars ? -1 : j;
    }

    private static int digits(String s, int j, int n) {
        while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
            j++;
        }
        return j;
    }

    /** The closing quote of a string starting after its opening one, escapes checked; -1 when invalid or unterminated. */
    private static int stringEnd(String s, int j, int n) {
        for (; j < n; j++) {
            char c = s.charAt(j);
            if (c == '"') {
                return j;
            }
            if (c == '\\') {
                if (++j >= n) {
                    return -1;
                }
                switch (s.charAt(j)) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                        break;
                    case 'u':
                        if (j + 4 >= n || !hex(s.charAt(j + 1)) || !hex(s.charAt(j + 2)) || !hex(s.charAt(j + 3))
                                || !hex(s.charAt(j + 4))) {
                            return -1;
                        }
                        j += 4;
                        break;
                    default:
                        return -1;
                }
            } else if (c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** As {@link #stringEnd}, but an escape is also -1: the value would not be the text between the quotes. */
    private static int plainStringEnd(String s, int j, int n) {
        for (; j < n; j++) {
            char c = s.charAt(j);
            if (c == '"') {
                return j;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int skipWhitespace(String s, int i, int n) {
        while (i < n) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }
}
