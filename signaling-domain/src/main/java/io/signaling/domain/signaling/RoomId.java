package io.signaling.domain.signaling;

import io.signaling.domain.error.DomainError;
import io.signaling.domain.error.DomainException;

/** A room name as the contract allows it: 1 to 64 characters of {@code [A-Za-z0-9_-]}. */
public record RoomId(String value) {

    public RoomId {
        if (!Ids.isUrlSafe(value)) {
            throw new DomainException(new DomainError.InvalidArgument(ErrorCode.INVALID_ROOM.wire(),
                    describeInvalid(value)));
        }
    }

    public static RoomId of(String value) {
        return new RoomId(value);
    }

    /** Whether {@code value} is a valid room name; never throws. */
    public static boolean isValid(String value) {
        return Ids.isUrlSafe(value);
    }

    /** The client-facing explanation of why {@code value} is not a room name. */
    public static String describeInvalid(String value) {
        if (value == null) {
            return "room is required";
        }
        if (value.isEmpty()) {
            return "room must not be empty";
        }
        if (value.length() > Ids.MAX_LENGTH) {
            return "room must be at most 64 characters, got " + value.length();
        }
        return "room may only contain A-Z, a-z, 0-9, '_' and '-'";
    }

    @Override
    public String toString() {
        return value;
    }
}
