package io.signaling.domain.signaling;

import java.util.Optional;

/** The error codes of the wire contract, each with its exact wire spelling. */
public enum ErrorCode {
    /** Not JSON, not an object, no string {@code type}, a missing or mistyped field. */
    BAD_MESSAGE("bad-message"),
    UNKNOWN_TYPE("unknown-type"),
    INVALID_ROOM("invalid-room"),
    ALREADY_IN_ROOM("already-in-room"),
    NOT_IN_ROOM("not-in-room"),
    /** The target of a relay is not a peer of the sender's room (including peers of other rooms). */
    PEER_NOT_FOUND("peer-not-found"),
    ROOM_FULL("room-full"),
    /** Carries {@code retryAfterMs}; the connection stays open and the frame is dropped. */
    RATE_LIMITED("rate-limited"),
    /** The connection is closed with 1009 after it. */
    MESSAGE_TOO_LARGE("message-too-large"),
    /** A {@code join} during the shutdown drain. */
    SERVER_SHUTTING_DOWN("server-shutting-down"),
    /** The cluster's shared state cannot be reached; carries {@code retryAfterMs}; the connection stays open. */
    UNAVAILABLE("unavailable"),
    /** (v1.1) A {@code join} of a room the access token does not grant; the connection stays open. */
    FORBIDDEN("forbidden");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ErrorCode> fromWire(String wire) {
        for (ErrorCode code : values()) {
            if (code.wire.equals(wire)) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }
}
