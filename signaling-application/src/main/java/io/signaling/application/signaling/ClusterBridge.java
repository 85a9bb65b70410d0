package io.signaling.application.signaling;

import io.signaling.application.cluster.SignalingCluster;
import io.signaling.domain.signaling.Delivery;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.LeaveReason;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.domain.signaling.SignalingEvent;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.signaling.MessageCodec;
import io.signaling.ports.signaling.RoomRegistry;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.TextFrame;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The signaling service's side of a cluster: what it hands to other nodes ({@link #forward}) and
 * what other nodes hand to it (the {@link SignalingCluster.LocalNode} calls), always under the
 * room's stripe lock so that envelopes keep the order of the room's changes.
 *
 * <p>Thread-safety: safe for concurrent use; it holds no state of its own.
 */
final class ClusterBridge implements SignalingCluster.LocalNode {

    private final SignalingCluster cluster;
    private final SessionTable sessions;
    private final RoomRegistry registry;
    private final MessageCodec codec;
    private final BiConsumer<Session, TextFrame> send;
    private final BiConsumer<Session, ServerMessage.Error> sendError;
    private final RoomControl roomControl;
    /** (v1.1) Resume on another node; set once, before the cluster starts. */
    private HandOver handOver;
    private BiConsumer<Session, TextFrame> sendForwarded;

    ClusterBridge(SignalingCluster cluster, SessionTable sessions, RoomRegistry registry, MessageCodec codec,
                  BiConsumer<Session, TextFrame> send, BiConsumer<Session, ServerMessage.Error> sendError,
                  RoomControl roomControl) {
        this.roomControl = roomControl;
        this.cluster = cluster;
        this.sessions = sessions;
        this.registry = registry;
        this.codec = codec;
        this.send = send;
        this.sendError = sendError;
    }

    SignalingCluster cluster() {
        return cluster;
    }

    void handOver(HandOver handOver, BiConsumer<Session, TextFrame> sendForwarded) {
        this.handOver = handOver;
        this.sendForwarded = sendForwarded;
    }

    ServerMessage.Error unavailable(String id) {
        return new ServerMessage.Error(ErrorCode.UNAVAILABLE,
                "the cluster's shared state cannot be reached; retry later", id, cluster.retryAfterMillis());
    }

    /** The node of a room-mate held elsewhere, or {@code null} when it is local or unknown. */
    NodeId remoteNodeOf(PeerId peer) {
        if (cluster.isLocal(peer)) {
            return null;
        }
        return cluster.nodeOf(peer).orElse(null);
    }

    /** Call under the room's lock: the envelopes of one room then keep the order of its changes. */
    void forward(NodeId node, RoomId room, Delivery delivery, String text, SignalingEvent event) {
        ServerMessage message = delivery.message();
        Envelope.Change change = message instanceof ServerMessage.PeerJoined joined
                ? new Envelope.Change(joined.peerId(), cluster.node())
                : message instanceof ServerMessage.PeerLeft left ? new Envelope.Change(left.peerId(), null) : null;
        PeerId sender = message instanceof ServerMessage.Relayed relayed ? relayed.from() : null;
        String id = event instanceof SignalingEvent.Message m ? m.message().id() : null;
        cluster.forward(node, room, delivery.to(), text, change, error -> {
            if (sender == null) {
                return;
            }
            Session from = sessions.get(sender);
            if (from != null) {
                // Not delivered (or not confirmed in time): the sender learns it and may send again.
                sendError.accept(from, unavailable(id));
            }
        });
    }

    @Override
    public void deliver(RoomId room, PeerId to, String text, Envelope.Change change) {
        deliver(room, to, text, change, false);
    }

    /**
     * @param forwarded whether the old node of a session that moved here passed it on (it then goes
     *                  before messages held back for the hand-over's flushes)
     */
    void deliver(RoomId room, PeerId to, String text, Envelope.Change change, boolean forwarded) {
        synchronized (sessions.lockOf(room)) {
            cluster.apply(room, change);
            Session target = sessions.get(to);
            if (target != null && registry.roomOf(to).filter(room::equals).isPresent()) {
                (forwarded ? sendForwarded : send).accept(target, TextFrame.of(text));
            } else if (target == null && handOver != null && !handOver.queueIfPending(room, to, text, change)) {
                // Reached this node after the peer's session moved on: passed on in order.
                handOver.forwardIfMoved(room, to, text, change);
            }
        }
    }

    @Override
    public void evicted(RoomId room, List<PeerId> removed, List<Member> remaining) {
        synchronized (sessions.lockOf(room)) {
            for (PeerId peer : removed) {
                cluster.apply(room, new Envelope.Change(peer, null));
                ServerMessage.PeerLeft notice = new ServerMessage.PeerLeft(room, peer, LeaveReason.DISCONNECT);
                TextFrame frame = TextFrame.of(codec.encode(notice));
                for (Member member : remaining) {
                    Session target = sessions.get(member.peer());
                    if (target != null) {
                        send.accept(target, frame);
                    } else if (!member.node().equals(cluster.node())) {
                        cluster.forward(member.node(), room, member.peer(), frame.text(),
                                new Envelope.Change(peer, null), error -> { });
                    }
                }
            }
            cluster.settle(room);
        }
    }

    @Override
    public void lost(Set<PeerId> affected, long missing) {
        ServerMessage.Error notice = new ServerMessage.Error(ErrorCode.UNAVAILABLE, missing
                + " message(s) from peers on another node were lost; renegotiate with them", null,
                cluster.retryAfterMillis());
        for (PeerId peer : affected) {
            Session session = sessions.get(peer);
            if (session != null) {
                sendError.accept(session, notice);
            }
        }
    }

    @Override
    public void command(Envelope envelope) {
        if (handOver != null && handOver.handle(envelope)) {
            return;
        }
        roomControl.command(envelope);
    }

    @Override
    public io.signaling.ports.cluster.MemberInfo info(PeerId peer) {
        return roomControl.info(peer);
    }

    @Override
    public void fence() {
        for (Session session : sessions.all()) {
            session.connection.close(CloseCodes.GOING_AWAY, "node fenced; reconnect");
        }
    }
}
