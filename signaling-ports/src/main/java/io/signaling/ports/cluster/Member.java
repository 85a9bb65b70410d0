package io.signaling.ports.cluster;

import io.signaling.domain.signaling.PeerId;
import java.util.Objects;

/**
 * A peer of a room, the node incarnation that holds its connection, and the identity its access
 * token granted (null without auth): room-mates on other nodes see it in {@code joined.peers}.
 */
public record Member(PeerId peer, NodeId node, String identity) {
    public Member {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(node, "node");
    }

    /** A member without an identity (auth off). */
    public Member(PeerId peer, NodeId node) {
        this(peer, node, null);
    }
}
