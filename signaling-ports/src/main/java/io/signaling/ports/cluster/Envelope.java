package io.signaling.ports.cluster;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import java.util.Objects;

/**
 * One message for one peer on another node: the encoded server message and, for membership
 * notices, the change the receiving node applies to its view of the room. A {@linkplain #mark mark}
 * carries no message: it only takes the next sequence number, so that the receiver finds a gap
 * before it (envelopes the store lost, or that could not be stored) without waiting for a later
 * message from the same origin.
 *
 * @param origin      the sending node's incarnation
 * @param sequence    1, 2, 3… per (origin, recipient): the receiver detects gaps and duplicates
 * @param to          the recipient, a peer of the destination node (null for a mark)
 * @param room        the room the message belongs to (null for a mark)
 * @param text        the server message as it goes on the wire, already encoded (null for a mark)
 * @param change      the membership change the message announces, or null for a relay
 * @param traceParent the sender's W3C {@code traceparent}, or null
 * @param sentAtMillis the origin's wall clock when it published (for the bus latency metric)
 */
public record Envelope(NodeId origin, long sequence, PeerId to, RoomId room, String text, Change change,
                       String traceParent, long sentAtMillis) {

    public Envelope {
        Objects.requireNonNull(origin, "origin");
        if (to == null && room == null && text == null) {
            if (change != null) {
                throw new IllegalArgumentException("a mark announces no membership change");
            }
        } else {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(text, "text");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, got " + sequence);
        }
    }

    /**
     * An envelope without a message that takes sequence number {@code sequence}: the receiver
     * reports every number before it that it never got.
     */
    public static Envelope mark(NodeId origin, long sequence, long sentAtMillis) {
        return new Envelope(origin, sequence, null, null, null, null, null, sentAtMillis);
    }

    /** Whether this is a {@linkplain #mark mark}: nothing to deliver. */
    public boolean isMark() {
        return to == null;
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
