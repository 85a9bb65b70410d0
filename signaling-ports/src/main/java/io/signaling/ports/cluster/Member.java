package io.signaling.ports.cluster;

import io.signaling.domain.signaling.PeerId;
import java.util.Objects;

/** A peer of a room and the node incarnation that holds its connection. */
public record Member(PeerId peer, NodeId node) {
    public Member {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(node, "node");
    }
}
