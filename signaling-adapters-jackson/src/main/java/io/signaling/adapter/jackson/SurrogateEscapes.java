package io.signaling.adapter.jackson;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The standard JSON escapes, plus every UTF-16 surrogate written as {@code \\uXXXX}. A client may
 * send an escaped lone surrogate in its {@code id} ({@code "\\ud800"}), which the server echoes; as
 * a raw char it could not be encoded as UTF-8 in the outgoing text frame, escaped it is valid JSON
 * that means exactly what the client sent. Paired surrogates escaped one by one stay the same
 * character, so nothing is lost.
 */
final class SurrogateEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch >= Character.MIN_SURROGATE && ch <= Character.MAX_SURROGATE) {
            return new SerializedString(String.format("\\u%04X", ch));
        }
        return null;
    }
}
