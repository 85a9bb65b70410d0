package io.signaling.application.signaling;

import io.signaling.application.cluster.SignalingCluster;
import io.signaling.domain.signaling.LeaveReason;
import io.signaling.domain.signaling.Membership;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.MemberInfo;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.RoomState;
import io.signaling.ports.cluster.RoomSummary;
import io.signaling.ports.log.Logger;
import io.signaling.ports.signaling.MessageCodec;
import io.signaling.ports.signaling.RoomRegistry;
import io.signaling.ports.websocket.TextFrame;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What the room management API does to this node's rooms and peers, with the signaling service's
 * own locks and connections: list and inspect rooms, remove a peer, close a room; in a cluster,
 * also what other nodes ask of this one (through their envelopes' {@link Envelope.Command}).
 *
 * <p>Every change runs under the room's stripe lock of the service, like a join or a leave, so a
 * removal or a close is ordered with respect to every relay and membership change of that room:
 * a relay handed off before it reaches the peer before its {@code left}; none after it does (the
 * peer is no longer in the room when it would be delivered).
 *
 * <p>Wording: the removed peer gets {@code left} with reason {@code removed}; its room-mates get
 * {@code peer-left} with reason {@code removed} (v1.1) or {@code leave} (v1), encoded here for each
 * recipient, or by the recipient's node for a recipient elsewhere (it alone knows its version).
 * A close sends every member {@code left} with reason {@code closed} and nobody {@code peer-left}.
 *
 * <p>Thread-safety: safe for concurrent use; the store calls of a cluster block up to its command
 * timeout.
 */
public final class RoomControl {

    /** The node name shown for members when the server runs alone (no cluster). */
    public static final NodeId STANDALONE = NodeId.of("local");

    /** Protocol versions as the API shows them. */
    public static final String V1 = "v1";
    public static final String V1_1 = "v1.1";

    /** A peer's connection state as the API shows it. */
    public static final String CONNECTED = "connected";
    public static final String SUSPENDED = "suspended";

    private static final String NO_TEXT = "{}";

    private final RoomRegistry registry;
    private final TimedRegistry timed;
    private final SignalingCluster cluster;
    private final MessageCodec codec;
    private final Function<PeerId, Session> sessions;
    private final Function<RoomId, Object> stripeOf;
    private final LongSupplier wallClock;
    private final Logger log;
    /** The service's one send path: numbers and keeps a v1.1 session's messages for resume. */
    private final BiConsumer<Session, TextFrame> sender;

    RoomControl(RoomRegistry registry, SignalingCluster cluster, MessageCodec codec, Function<PeerId, Session> sessions,
                Function<RoomId, Object> stripeOf, LongSupplier wallClock, BiConsumer<Session, TextFrame> sender,
                Logger log) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.timed = registry instanceof TimedRegistry t ? t : null;
        this.cluster = cluster;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.stripeOf = Objects.requireNonNull(stripeOf, "stripeOf");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The cluster this node is one of, when it is. */
    public Optional<SignalingCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** This node's name as the API shows it: its incarnation in a cluster, {@link #STANDALONE} otherwise. */
    public NodeId node() {
        return cluster == null ? STANDALONE : cluster.node();
    }

    // ---------------------------------------------------------------- reading

    /** A page of rooms in name order: the cluster's (from its store) or this node's. */
    public List<RoomSummary> rooms(RoomId after, int limit) {
        if (cluster != null) {
            return cluster.rooms(after, limit);
        }
        if (timed == null) {
            throw new IllegalStateException("this node's registry keeps no room catalog");
        }
        return timed.rooms(after, limit);
    }

    /** The room with its members (every node's in a cluster); empty when it has none. */
    public Optional<RoomState> room(RoomId room) {
        if (cluster != null) {
            return cluster.room(room);
        }
        List<PeerId> members = registry.members(room);
        if (members.isEmpty()) {
            return Optional.empty();
        }
        List<RoomState.Entry> entries = new ArrayList<>(members.size());
        for (PeerId peer : members) {
            MemberInfo details = info(peer);
            entries.add(new RoomState.Entry(new Member(peer, STANDALONE, details.identity()), details));
        }
        return Optional.of(new RoomState(room, timed == null ? 0L : timed.createdAt(room), entries));
    }

    /** A peer's connection state, when its session is on this node. */
    public Optional<String> state(PeerId peer) {
        Session session = sessions.apply(peer);
        return session == null ? Optional.empty() : Optional.of(stateOf(session));
    }

    /** A session kept for the resume window after its connection was lost reads {@link #SUSPENDED}. */
    private static String stateOf(Session session) {
        return session.suspended() ? SUSPENDED : CONNECTED;
    }

    /** What a local peer tells of itself when it joins (stored with the membership in a cluster). */
    MemberInfo info(PeerId peer) {
        Session session = sessions.apply(peer);
        long joined = timed != null ? timed.joinedAt(peer) : wallClock.getAsLong();
        if (session == null) {
            return new MemberInfo(null, joined, null);
        }
        return new MemberInfo(session.identity(), joined, session.v11 ? V1_1 : V1);
    }

    // ---------------------------------------------------------------- changing

    /**
     * Removes a peer whose session is on this node from {@code room}: {@code left} (removed) to it,
     * {@code peer-left} to its room-mates on every node.
     *
     * @return whether it was removed now (false: no such peer of this node in that room, or another
     *         removal or its own leave came first)
     */
    public boolean removeHere(RoomId room, PeerId peer) {
        Session session = sessions.apply(peer);
        if (session == null) {
            return false;
        }
        synchronized (stripeOf.apply(room)) {
            if (!room.equals(registry.roomOf(peer).orElse(null))
                    || (cluster != null && !cluster.isLocal(peer))) {
                return false;
            }
            Optional<Membership.Departure> departure = registry.leave(peer);
            if (departure.isEmpty()) {
                return false;
            }
            send(session, new ServerMessage.Left(null, room, LeaveReason.REMOVED));
            TextFrame v11 = frame(new ServerMessage.PeerLeft(room, peer, LeaveReason.REMOVED));
            TextFrame v1 = frame(new ServerMessage.PeerLeft(room, peer, LeaveReason.REMOVED.forProtocol(false)));
            for (PeerId other : departure.get().remaining()) {
                Session target = sessions.apply(other);
                if (target != null) {
                    sender.accept(target, target.v11 ? v11 : v1);
                    continue;
                }
                NodeId remote = cluster == null || cluster.isLocal(other) ? null : cluster.nodeOf(other).orElse(null);
                if (remote != null) {
                    cluster.forward(remote, room, other, v11.text(), new Envelope.Change(peer, null),
                            Envelope.Command.PEER_REMOVED, error -> log.warn("peer-left of a removed peer not"
                                    + " delivered to another node", "room", room.value(), "node", remote.value(),
                                    "error", String.valueOf(error.getMessage())));
                }
            }
            if (cluster != null) {
                cluster.settle(room);
            }
            return true;
        }
    }

    /**
     * Asks {@code node} to remove its peer (a cluster's other node); the caller learns the outcome
     * from the store.
     */
    public void removeOn(NodeId node, RoomId room, PeerId peer) {
        requireCluster().forward(node, room, peer, NO_TEXT, null, Envelope.Command.REMOVE,
                error -> log.warn("removal not delivered to another node", "room", room.value(),
                        "node", node.value(), "error", String.valueOf(error.getMessage())));
    }

    /**
     * Closes {@code room}: every member leaves it at once, gets {@code left} (closed), and nobody
     * gets {@code peer-left}. In a cluster the store removes every member in one step (so a join
     * after it starts a new room and never sees a closed member), then each node is told of the
     * members of its own; this node's are done before returning.
     *
     * @return the members removed, in join order (empty: there was no such room)
     */
    public List<Member> close(RoomId room) {
        synchronized (stripeOf.apply(room)) {
            if (cluster == null) {
                List<Member> removed = new ArrayList<>();
                for (PeerId peer : registry.members(room)) {
                    if (registry.leave(peer).isPresent()) {
                        removed.add(new Member(peer, STANDALONE));
                        Session session = sessions.apply(peer);
                        if (session != null) {
                            send(session, new ServerMessage.Left(null, room, LeaveReason.CLOSED));
                        }
                    }
                }
                return removed;
            }
            List<Member> removed = cluster.closeInStore(room);
            NodeId self = cluster.node();
            Set<NodeId> others = new LinkedHashSet<>();
            for (Member member : removed) {
                if (member.node().equals(self)) {
                    closedLocked(room, member.peer());
                } else {
                    others.add(member.node());
                }
            }
            // Each other node hears of every closed member: its own leave, the others leave its view.
            for (NodeId node : others) {
                for (Member member : removed) {
                    cluster.forward(node, room, member.peer(), NO_TEXT, new Envelope.Change(member.peer(), null),
                            Envelope.Command.CLOSED, error -> log.warn("close not delivered to another node",
                                    "room", room.value(), "node", node.value(), "error", String.valueOf(error.getMessage())));
                }
            }
            cluster.settle(room);
            return removed;
        }
    }

    /** Call under the room's stripe lock. */
    private void closedLocked(RoomId room, PeerId peer) {
        if (cluster.dropClosed(room, peer)) {
            Session session = sessions.apply(peer);
            if (session != null) {
                send(session, new ServerMessage.Left(null, room, LeaveReason.CLOSED));
            }
        }
    }

    /** Another node's operator action for this node (from {@code SignalingService}'s cluster side). */
    void command(Envelope envelope) {
        RoomId room = envelope.room();
        switch (envelope.command()) {
            case REMOVE -> {
                if (!removeHere(room, envelope.to())) {
                    log.debug("removal asked by another node found no such peer here", "room", room.value());
                }
            }
            case PEER_REMOVED -> {
                synchronized (stripeOf.apply(room)) {
                    cluster.apply(room, envelope.change());
                    Session target = sessions.apply(envelope.to());
                    if (target != null && envelope.change() != null
                            && room.equals(registry.roomOf(envelope.to()).orElse(null))) {
                        send(target, new ServerMessage.PeerLeft(room, envelope.change().peer(),
                                LeaveReason.REMOVED.forProtocol(target.v11)));
                    }
                }
            }
            case CLOSED -> {
                synchronized (stripeOf.apply(room)) {
                    closedLocked(room, envelope.to());
                    cluster.settle(room);
                }
            }
        }
    }

    private void send(Session session, ServerMessage message) {
        sender.accept(session, frame(message));
    }

    private TextFrame frame(ServerMessage message) {
        return TextFrame.of(codec.encode(message));
    }

    private SignalingCluster requireCluster() {
        if (cluster == null) {
            throw new IllegalStateException("not a cluster node");
        }
        return cluster;
    }
}
