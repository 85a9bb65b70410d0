package io.signaling.ports.signaling;

import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** The result of decoding one text frame: a message, or why it is not one. */
public sealed interface Decoded permits Decoded.Message, Decoded.Invalid {

    /**
     * @param seq (v1.1) the client's {@code seq}: {@link #NO_SEQ} when absent, {@link #INVALID_SEQ}
     *            when present but not a positive integer (up to 2^53 - 1) or given twice; v1
     *            connections ignore it, as any unknown field
     */
    record Message(ClientMessage message, long seq) implements Decoded {
        public static final long NO_SEQ = 0;
        public static final long INVALID_SEQ = -1;

        public Message {
            Objects.requireNonNull(message, "message");
            if (seq < INVALID_SEQ) {
                throw new IllegalArgumentException("seq must be positive, NO_SEQ or INVALID_SEQ, got " + seq);
            }
        }

        public Message(ClientMessage message) {
            this(message, NO_SEQ);
        }
    }

    /**
     * A frame that is not a valid client message.
     *
     * @param code    {@code bad-message}, {@code unknown-type} or {@code invalid-room}
     * @param message a precise, client-facing explanation ("field 'to' must be a string")
     * @param id      the frame's string {@code id} when one could be read, else {@code null}
     */
    record Invalid(ErrorCode code, String message, String id) implements Decoded {
        private static final Set<ErrorCode> DECODE_CODES =
                EnumSet.of(ErrorCode.BAD_MESSAGE, ErrorCode.UNKNOWN_TYPE, ErrorCode.INVALID_ROOM);

        public Invalid {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            if (!DECODE_CODES.contains(code)) {
                throw new IllegalArgumentException("a decode error is one of " + DECODE_CODES + ", got " + code);
            }
        }
    }
}
