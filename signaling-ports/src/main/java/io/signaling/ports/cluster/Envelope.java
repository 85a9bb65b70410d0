package io.signaling.ports.cluster;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import java.util.Objects;

/**
 * One message for one peer on another node: the encoded server message and, for membership
 * notices, the change the receiving node applies to its view of the room.
 *
 * @param origin      the sending node's incarnation
 * @param sequence    1, 2, 3… per (origin, recipient): the receiver detects gaps and duplicates
 * @param to          the recipient, a peer of the destination node
 * @param room        the room the message belongs to
 * @param text        the server message as it goes on the wire, already encoded
 * @param change      the membership change the message announces, or null for a relay
 * @param traceParent the sender's W3C {@code traceparent}, or null
 * @param sentAtMillis the origin's wall clock when it published (for the bus latency metric)
 */
public record Envelope(NodeId origin, long sequence, PeerId to, RoomId room, String text, Change change,
                       String traceParent, long sentAtMillis) {

    public Envelope {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(text, "text");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, got " + sequence);
        }
    }

    /** A member joined ({@code node} set) or left ({@code node} null) the room. */
    public record Change(PeerId peer, NodeId node) {
        public Change {
            Objects.requireNonNull(peer, "peer");
        }

        public boolean joined() {
            return node != null;
        }
    }
}
