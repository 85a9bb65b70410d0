package io.signaling.domain.signaling;

import java.util.Objects;

/** One message for one peer, as decided by {@link SignalingRules}; the caller does the sending. */
public record Delivery(PeerId to, ServerMessage message) {
    public Delivery {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
    }
}
