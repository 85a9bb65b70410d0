package io.signaling.adapter.jackson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import io.signaling.ports.signaling.MessageCodec;

/**
 * Builds the Jackson {@link MessageCodec} of signaling v1.
 *
 * <p>The codec reads frames with the streaming parser only (no tree, no data binding) and bounds
 * every dimension a hostile frame could inflate:
 * <ul>
 *   <li><b>payload depth</b>, default {@value #DEFAULT_MAX_PAYLOAD_DEPTH}: SDP and ICE payloads
 *       are two or three levels deep, so 32 leaves room for any application extras while keeping a
 *       deeply nested frame a cheap {@code bad-message}. The parser allows one more level for the
 *       envelope object itself.</li>
 *   <li><b>message length</b> in characters, default {@value #DEFAULT_MAX_MESSAGE_CHARS} (1 MiB):
 *       a backstop above the transport's frame limit (64 KiB by default), which is what really
 *       bounds a frame. A UTF-8 frame of N bytes never decodes to more than N chars, so setting
 *       this to the configured frame size never refuses a frame the transport accepted. The codec
 *       checks the frame's length before parsing; the parser caps each string the same way.</li>
 *   <li><b>number length</b>, default {@value #DEFAULT_MAX_NUMBER_LENGTH} characters: signaling
 *       payloads carry small integers (ports, priorities, line indexes); payload numbers are never
 *       converted, only copied, but a short cap keeps the tokenizer's work trivially bounded.</li>
 *   <li><b>field name length</b>, {@value #MAX_NAME_LENGTH} characters: the contract's names are
 *       short; a longer unknown name is refused rather than canonicalized.</li>
 * </ul>
 *
 * <p>Thread-safety: the builder is not thread-safe; the codec it builds is immutable and safe for
 * concurrent use, and should be shared (one per node).
 */
public final class JacksonCodecs {

    public static final int DEFAULT_MAX_PAYLOAD_DEPTH = 32;
    public static final int DEFAULT_MAX_MESSAGE_CHARS = 1 << 20;
    public static final int DEFAULT_MAX_NUMBER_LENGTH = 100;
    public static final int MAX_NAME_LENGTH = 1024;

    private JacksonCodecs() {
    }

    /** A codec with the default limits. */
    public static MessageCodec messageCodec() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures the limits of a codec; every limit must be positive. */
    public static final class Builder {
        private int maxPayloadDepth = DEFAULT_MAX_PAYLOAD_DEPTH;
        private int maxMessageChars = DEFAULT_MAX_MESSAGE_CHARS;
        private int maxNumberLength = DEFAULT_MAX_NUMBER_LENGTH;

        private Builder() {
        }

        /** How deeply a {@code payload} (or any unknown field's value) may nest. */
        public Builder maxPayloadDepth(int depth) {
            this.maxPayloadDepth = positive(depth, "maxPayloadDepth");
            return this;
        }

        /** The longest frame, and so the longest string, in chars; usually the transport's frame limit. */
        public Builder maxMessageChars(int chars) {
            this.maxMessageChars = positive(chars, "maxMessageChars");
            return this;
        }

        /** The longest number literal, in characters. */
        public Builder maxNumberLength(int length) {
            this.maxNumberLength = positive(length, "maxNumberLength");
            return this;
        }

        public MessageCodec build() {
            // The envelope object is one level, so a payload may nest maxPayloadDepth below it.
            int maxNestingDepth = maxPayloadDepth + 1;
            StreamReadConstraints read = StreamReadConstraints.builder()
                    .maxNestingDepth(maxNestingDepth)
                    .maxStringLength(maxMessageChars)
                    .maxNumberLength(maxNumberLength)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .build();
            // Written documents nest two levels at most (welcome limits, joined peers); payloads
            // are raw values and do not count.
            StreamWriteConstraints write = StreamWriteConstraints.builder().maxNestingDepth(8).build();
            JsonFactory factory = new JsonFactoryBuilder()
                    .streamReadConstraints(read)
                    .streamWriteConstraints(write)
                    // Field names come from clients: canonicalize (bounded table) but never intern
                    // them into the JVM-wide string pool.
                    .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                    .characterEscapes(new SurrogateEscapes())
                    .build();
            return new JacksonMessageCodec(factory, maxNestingDepth, maxPayloadDepth, maxMessageChars, maxNumberLength);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
