package io.signaling.ports.websocket;

import java.util.Objects;

/**
 * A text message with its UTF-8 size, measured once where the text is made or read and carried
 * with it from there: size limits, queue bounds and byte metrics all count wire bytes, and a
 * message sent to many recipients must not be rescanned for each.
 *
 * @param text      the message
 * @param utf8Bytes its size in UTF-8, what it takes on the wire
 */
public record TextFrame(String text, int utf8Bytes) {

    public TextFrame {
        Objects.requireNonNull(text, "text");
        if (utf8Bytes < 0) {
            throw new IllegalArgumentException("utf8Bytes must not be negative, got " + utf8Bytes);
        }
    }

    /** Measures {@code text}. */
    public static TextFrame of(String text) {
        return new TextFrame(text, utf8Length(Objects.requireNonNull(text, "text")));
    }

    /** The UTF-8 size of a text without encoding it (an unpaired surrogate counts 3 bytes, so a bound is never undercounted). */
    public static int utf8Length(CharSequence text) {
        int n = text.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 2;
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
