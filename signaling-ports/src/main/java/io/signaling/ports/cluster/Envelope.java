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
 * @param room        the room the message belongs to (null for a mark; may be null for a
 *                    {@linkplain Command#RESUME session hand-over} of a peer in no room)
 * @param text        the server message as it goes on the wire, already encoded (null for a mark)
 * @param change      the membership change the message announces, or null for a relay
 * @param traceParent the sender's W3C {@code traceparent}, or null
 * @param sentAtMillis the origin's wall clock when it published (for the bus latency metric)
 * @param command     an operator's action for the receiving node to carry out on {@code to}, or
 *                    null for a message to deliver as it is
 */
public record Envelope(NodeId origin, long sequence, PeerId to, RoomId room, String text, Change change,
                       String traceParent, long sentAtMillis, Command command) {

    public Envelope(NodeId origin, long sequence, PeerId to, RoomId room, String text, Change change,
                    String traceParent, long sentAtMillis) {
        this(origin, sequence, to, room, text, change, traceParent, sentAtMillis, null);
    }

    /** What the room management API asks the node of {@code to} (or of its room-mates) to do. */
    public enum Command {
        /** Remove {@code to} from {@code room}: it gets {@code left} (removed), its room-mates {@code peer-left}. */
        REMOVE("remove"),
        /**
         * An operator removed {@link Change#peer()}: deliver {@code peer-left} (removed) to {@code to},
         * worded for its protocol version (the sender cannot know it).
         */
        PEER_REMOVED("peer-removed"),
        /** {@code room} was closed and {@code to} was in it: a local peer gets {@code left} (closed), a remote one leaves the view. */
        CLOSED("closed"),
        /**
         * (v1.1 resume on another node) The receiving node holds the session of {@code to}; its
         * client came back on the sending node: hand the session over if {@code text} (the token,
         * {@code lastSeq}, the new connection's grant) allows, and answer {@link #RESUMED}.
         */
        RESUME("resume"),
        /** The answer to {@link #RESUME}: the session's state (sequence numbers, kept messages, room), or a refusal. */
        RESUMED("resumed"),
        /**
         * {@code to} moved to the node named in {@code text}: route its messages there from now on,
         * and answer the sending node with {@link #FLUSH} (after everything sent to it for {@code to} before).
         */
        MOVED("moved"),
        /** Everything the sending node sent for {@code to} to the receiving node before this has arrived. */
        FLUSH("flush"),
        /** Passed on to the node {@code to} moved to: the node named in {@code text} has flushed. */
        FLUSHED("flushed"),
        /** A message for {@code to} that reached its old node after it moved, passed on in order. */
        FORWARD("forward");

        private final String wire;

        Command(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Command fromWire(String wire) {
            for (Command command : values()) {
                if (command.wire.equals(wire)) {
                    return command;
                }
            }
            throw new IllegalArgumentException("unknown envelope command '" + wire + "'");
        }
    }

    public Envelope {
        Objects.requireNonNull(origin, "origin");
        if (to == null && room == null && text == null) {
            if (change != null) {
                throw new IllegalArgumentException("a mark announces no membership change");
            }
        } else {
            Objects.requireNonNull(to, "to");
            if (command == null) {
                Objects.requireNonNull(room, "room");
            }
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
