package io.signaling.domain.signaling;

import java.util.Optional;

/** The message types relayed from one peer to another, unchanged. */
public enum RelayKind {
    OFFER("offer"),
    ANSWER("answer"),
    /** A {@code payload} of JSON {@code null} means end-of-candidates. */
    CANDIDATE("candidate");

    private final String wire;

    RelayKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<RelayKind> fromWire(String wire) {
        for (RelayKind kind : values()) {
            if (kind.wire.equals(wire)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
