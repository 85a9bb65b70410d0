package io.signaling.domain.signaling;

import java.util.Objects;

/** What happened to one peer, as input to {@link SignalingRules}. */
public sealed interface SignalingEvent permits SignalingEvent.Message, SignalingEvent.Disconnect,
        SignalingEvent.Drain {

    PeerId peer();

    /** The peer sent a decoded message. */
    record Message(PeerId peer, ClientMessage message) implements SignalingEvent {
        public Message {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The peer's connection is gone; {@code reason} is {@code disconnect} or {@code timeout}. */
    record Disconnect(PeerId peer, LeaveReason reason) implements SignalingEvent {
        public Disconnect {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(reason, "reason");
            if (reason == LeaveReason.LEAVE) {
                throw new IllegalArgumentException("an explicit leave is a message, not a disconnect");
            }
        }
    }

    /** The peer's scheduled close time in the shutdown drain has come. */
    record Drain(PeerId peer) implements SignalingEvent {
        public Drain {
            Objects.requireNonNull(peer, "peer");
        }
    }
}
