package io.signaling.ports.signaling;

import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** The result of decoding one text frame: a message, or why it is not one. */
public sealed interface Decoded permits Decoded.Message, Decoded.Invalid {

    record Message(ClientMessage message) implements Decoded {
        public Message {
            Objects.requireNonNull(message, "message");
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
