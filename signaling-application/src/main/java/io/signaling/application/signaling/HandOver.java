package io.signaling.application.signaling;

import io.signaling.application.cluster.SignalingCluster;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.log.Logger;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * (v1.1) Resume on another node of a cluster: the protocol between the node a client came back to
 * (the new node) and the node that holds its session (the old node, named in the resume token),
 * carried by the nodes' ordered inboxes.
 *
 * <ol>
 * <li>The new node sends {@link Envelope.Command#RESUME} (token, {@code lastSeq}, the new
 *     connection's grant) to the old node and waits, at most {@link SignalingCluster#handOverTimeout()}.
 *     Messages for the peer that reach the new node meanwhile are queued.</li>
 * <li>The old node reads it in inbox order (so everything sent to it before is in the session
 *     already), checks the token in constant time (spent whatever the outcome), the identity and
 *     {@code lastSeq}, then under the room's lock moves the membership in the shared directory,
 *     lets the session go without a {@code peer-left}, and answers {@link Envelope.Command#RESUMED}
 *     with the session's state (sequence numbers, kept messages, room and members). It tells every
 *     other node with members in the room {@link Envelope.Command#MOVED}; from then on it passes
 *     on, in order, whatever still reaches it for the peer ({@link Envelope.Command#FORWARD}).</li>
 * <li>Each told node re-routes the peer and answers the old node {@link Envelope.Command#FLUSH}
 *     (after everything it sent there before); the new node does the same for its own peers when
 *     it installs the session. The old node passes each flush on ({@link Envelope.Command#FLUSHED});
 *     until every flush came, the new node holds back messages that did not come through the old
 *     node, so no sender's message overtakes an older one of the same sender.</li>
 * </ol>
 *
 * <p>A failure anywhere ends in {@code resumed:false} for the client and at most one
 * {@code peer-left} for the room: an old node that is not alive is not asked; an answer that comes
 * after the new node stopped waiting installs nothing, the session then ends at the new node with
 * {@code peer-left}; a flush that never comes (a node died) stops holding after a lease.
 *
 * <p>Thread-safety: envelopes are handled on the inbox's one thread, under the room's lock where
 * they touch a room; the waiting side is any connection's thread. The maps are concurrent.
 */
final class HandOver {

    /** What the service does for a hand-over, under its own locks. */
    interface Host {
        /**
         * At the old node: checks the resume and, when it holds, hands the session out through
         * {@link #handedOut} (under the room's lock).
         *
         * @return the failed check, or {@code null} when handed out
         */
        String handOut(PeerId peer, ResumeToken token, long lastSeq, String identity, RoomId grantRoom, NodeId to);

        /** At the new node: installs the session on {@code connection}; false when it could not. */
        boolean takeOver(WebSocketConnection connection, long lastSeq, Handed handed, NodeId from, long startedNanos);

        /** At the new node: a session handed over after its client stopped waiting ends at once. */
        void endOrphan(Handed handed, NodeId from);

        /**
         * A message for {@code to} as if it came from the inbox (the queue of a hand-over in
         * progress, or {@code forwarded} by the old node: then ahead of what is held back).
         */
        void deliver(RoomId room, PeerId to, String text, Envelope.Change change, boolean forwarded);

        /** The session of {@code peer}, if it is here. */
        Session session(PeerId peer);

        /** A send through a session's replay overflowed its buffer. */
        void overflowed(Session session);

        Object lockOf(RoomId room);

        void failed(String check);
    }

    /** A session's state as it moves between nodes. */
    record Handed(PeerId peer, RoomId room, long lastClientSeq, long lastSeq, long suspendedNanos,
                  List<Replay.Kept> kept, List<Member> members, Set<String> flush) {
    }

    private static final int PENDING = 0;
    private static final int CLAIMED = 1;
    private static final int ABANDONED = 2;
    private static final String OK = "ok";
    private static final String REFUSED = "refused";

    /** A resume this node asked another node for. */
    private static final class Pending {
        final WebSocketConnection connection;
        final long lastSeq;
        final long startedNanos;
        final AtomicInteger state = new AtomicInteger(PENDING);
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        /** Messages for the peer that arrived before the answer (inbox thread only). */
        final List<Object[]> queued = new ArrayList<>();

        Pending(WebSocketConnection connection, long lastSeq, long startedNanos) {
            this.connection = connection;
            this.lastSeq = lastSeq;
            this.startedNanos = startedNanos;
        }
    }

    /** A session this node handed out: where it went, and the nodes whose flush has not passed yet. */
    private record Moved(NodeId to, Set<String> awaiting) {
    }

    private final SignalingCluster cluster;
    private final Host host;
    private final Logger log;
    private final java.util.function.LongSupplier nanoTime;
    private final java.util.function.Supplier<io.signaling.ports.signaling.TaskScheduler> timers;
    private final ConcurrentMap<PeerId, Pending> pending = new ConcurrentHashMap<>();
    private final ConcurrentMap<PeerId, Moved> moved = new ConcurrentHashMap<>();

    HandOver(SignalingCluster cluster, Host host, Logger log, java.util.function.LongSupplier nanoTime,
             java.util.function.Supplier<io.signaling.ports.signaling.TaskScheduler> timers) {
        this.cluster = cluster;
        this.host = host;
        this.log = log;
        this.nanoTime = nanoTime;
        this.timers = timers;
    }

    /** Whether {@code token} names a session held by another node of the cluster. */
    boolean elsewhere(ResumeToken token) {
        return token != null && token.node() != null && !token.node().equals(cluster.node().value());
    }

    /** Sessions handed out whose flushes have not all passed: the node must stay up for them. */
    int inFlight() {
        return moved.size();
    }

    // ---------------------------------------------------------------- new node

    /**
     * Asks the node that holds {@code token}'s session to hand it over, and waits for the answer.
     * Call from the connection's thread before anything else happens on it.
     *
     * @return whether the session was resumed on {@code connection}
     */
    boolean resume(WebSocketConnection connection, ResumeToken token, long lastSeq) {
        NodeId old;
        boolean alive;
        try {
            old = NodeId.of(token.node());
            alive = cluster.alive(old);
        } catch (ClusterUnavailableException | IllegalArgumentException e) {
            host.failed("unavailable");
            return false;
        }
        if (!alive) {
            // Dead (its cleanup sends the room one peer-left) or stopped: nothing to hand over.
            host.failed("unknown");
            return false;
        }
        Pending request = new Pending(connection, lastSeq, nanoTime.getAsLong());
        if (pending.putIfAbsent(token.peer(), request) != null) {
            host.failed("unknown");
            return false;
        }
        io.signaling.ports.auth.AccessGrant grant = connection.grant().orElse(null);
        String text = Fields.join(List.of(token.value(), Long.toString(lastSeq),
                grant == null ? "" : grant.identity(), grant == null ? "" : grant.room().value()));
        cluster.forward(old, null, token.peer(), text, null, Envelope.Command.RESUME, error -> {
            // Not stored (or not confirmed): no answer is coming; one that comes all the same finds
            // nobody waiting and ends the session it carries.
            if (request.state.compareAndSet(PENDING, ABANDONED)) {
                pending.remove(token.peer(), request);
                host.failed("unavailable");
                request.result.complete(false);
            }
        });
        try {
            return request.result.get(cluster.handOverTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (request.state.compareAndSet(PENDING, ABANDONED)) {
                // A late answer finds it abandoned and ends the session instead (one peer-left).
                timers.get().schedule(cluster.leaseTtl(), () -> pending.remove(token.peer(), request));
                host.failed("unavailable");
                log.info("resume on another node timed out; a new session instead", "old_node", old.value());
                return false;
            }
            // The answer is being installed right now (or the publish just failed): its outcome.
            return request.result.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (request.state.compareAndSet(PENDING, ABANDONED)) {
                timers.get().schedule(cluster.leaseTtl(), () -> pending.remove(token.peer(), request));
                return false;
            }
            return request.result.join();
        } catch (ExecutionException e) {
            return false;
        }
    }

    /**
     * A message for {@code to} arrived while its hand-over to this node is in progress: queued
     * until the session is installed. Inbox thread.
     */
    boolean queueIfPending(RoomId room, PeerId to, String text, Envelope.Change change) {
        Pending request = pending.get(to);
        if (request == null) {
            return false;
        }
        request.queued.add(new Object[] {room, text, change});
        return true;
    }

    private void onResumed(Envelope envelope) {
        PeerId peer = envelope.to();
        Pending request = pending.get(peer);
        List<String> f = Fields.split(envelope.text());
        if (REFUSED.equals(f.get(0))) {
            if (request != null && request.state.compareAndSet(PENDING, CLAIMED)) {
                pending.remove(peer, request);
                request.result.complete(false);
            }
            return;
        }
        Handed handed = decode(peer, envelope.room(), f);
        if (request != null && request.state.compareAndSet(PENDING, CLAIMED)) {
            pending.remove(peer, request);
            boolean installed = false;
            try {
                installed = host.takeOver(request.connection, request.lastSeq, handed, envelope.origin(),
                        request.startedNanos);
            } finally {
                request.result.complete(installed);
            }
            if (installed) {
                for (Object[] q : request.queued) {
                    host.deliver((RoomId) q[0], peer, (String) q[1], (Envelope.Change) q[2], false);
                }
                if (handed.room() != null) {
                    timers.get().schedule(cluster.leaseTtl(), () -> releaseHeld(peer));
                }
                return;
            }
        } else if (request != null) {
            pending.remove(peer, request);
        }
        log.info("a session handed over after its client stopped waiting ends", "peer_id", peer.value());
        host.endOrphan(handed, envelope.origin());
    }

    private void releaseHeld(PeerId peer) {
        Session session = host.session(peer);
        if (session != null && session.resumption != null && session.resumption.replay.holding()) {
            log.warn("flushes of a session's hand-over did not all come; its held messages go now", "peer_id",
                    peer.value());
            if (session.resumption.replay.releaseHeld() == Replay.Outcome.OVERFLOW) {
                host.overflowed(session);
            }
        }
    }

    /** The installed session's own node flushes too: call under the room's lock, after the view moved here. */
    void flushOwn(NodeId old, RoomId room, PeerId peer) {
        cluster.forward(old, room, peer, "", null, Envelope.Command.FLUSH, error -> { });
    }

    private void onFlushed(Envelope envelope) {
        synchronized (host.lockOf(envelope.room())) {
            Session session = host.session(envelope.to());
            if (session != null && session.resumption != null
                    && session.resumption.replay.flushed(Fields.split(envelope.text()).get(0)) == Replay.Outcome.OVERFLOW) {
                host.overflowed(session);
            }
        }
    }

    private void onForward(Envelope envelope) {
        host.deliver(envelope.room(), envelope.to(), envelope.text(), envelope.change(), true);
    }

    // ---------------------------------------------------------------- old node

    private void onResume(Envelope envelope) {
        String refusal;
        try {
            List<String> f = Fields.split(envelope.text());
            ResumeToken token = ResumeToken.parse(f.get(0));
            long lastSeq = Long.parseLong(f.get(1));
            String identity = f.get(2).isEmpty() ? null : f.get(2);
            RoomId grantRoom = RoomId.isValid(f.get(3)) ? RoomId.of(f.get(3)) : null;
            refusal = token == null || !token.peer().equals(envelope.to()) ? "unknown"
                    : host.handOut(envelope.to(), token, lastSeq, identity, grantRoom, envelope.origin());
        } catch (RuntimeException e) {
            log.warn("unreadable resume request from another node", "origin", envelope.origin().value(),
                    "error", e.getMessage());
            refusal = "unknown";
        }
        if (refusal != null) {
            cluster.forward(envelope.origin(), null, envelope.to(), Fields.join(List.of(REFUSED, refusal)), null,
                    Envelope.Command.RESUMED, error -> { });
        }
    }

    /**
     * The host handed the session out: the answer to the new node, then {@code moved} to every
     * other node with members in the room. Call under the room's lock (when in one).
     */
    void handedOut(NodeId to, Handed handed) {
        cluster.forward(to, handed.room(), handed.peer(), encode(handed), null, Envelope.Command.RESUMED,
                error -> { });
        if (handed.room() == null) {
            return;
        }
        moved.put(handed.peer(), new Moved(to, ConcurrentHashMap.newKeySet()));
        moved.get(handed.peer()).awaiting().addAll(handed.flush());
        String where = Fields.join(List.of(to.value()));
        for (String node : handed.flush()) {
            if (!node.equals(to.value())) {
                cluster.forward(NodeId.of(node), handed.room(), handed.peer(), where, null, Envelope.Command.MOVED,
                        error -> { });
            }
        }
    }

    /**
     * A message for a peer that moved away reached this node: passed on, in order. Call under the
     * room's lock.
     *
     * @return whether it was passed on
     */
    boolean forwardIfMoved(RoomId room, PeerId to, String text, Envelope.Change change) {
        Moved where = moved.get(to);
        if (where == null) {
            return false;
        }
        cluster.forward(where.to(), room, to, text, change, Envelope.Command.FORWARD, error -> { });
        return true;
    }

    private void onFlush(Envelope envelope) {
        synchronized (host.lockOf(envelope.room())) {
            Moved where = moved.get(envelope.to());
            if (where == null) {
                return;
            }
            String from = envelope.origin().value();
            cluster.forward(where.to(), envelope.room(), envelope.to(), Fields.join(List.of(from)), null,
                    Envelope.Command.FLUSHED, error -> { });
            where.awaiting().remove(from);
            if (where.awaiting().isEmpty()) {
                moved.remove(envelope.to(), where);
            }
        }
    }

    // ---------------------------------------------------------------- every node

    private void onMoved(Envelope envelope) {
        synchronized (host.lockOf(envelope.room())) {
            cluster.moved(envelope.room(), envelope.to(), NodeId.of(Fields.split(envelope.text()).get(0)));
            // After everything this node sent there for the peer (same lock, same ordered inbox).
            cluster.forward(envelope.origin(), envelope.room(), envelope.to(), "", null, Envelope.Command.FLUSH,
                    error -> { });
        }
    }

    /** @return whether {@code envelope} was one of the hand-over's (handled) */
    boolean handle(Envelope envelope) {
        switch (envelope.command()) {
            case RESUME -> onResume(envelope);
            case RESUMED -> onResumed(envelope);
            case MOVED -> onMoved(envelope);
            case FLUSH -> onFlush(envelope);
            case FLUSHED -> onFlushed(envelope);
            case FORWARD -> onForward(envelope);
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- payload

    private static String encode(Handed h) {
        List<String> f = new ArrayList<>();
        f.add(OK);
        f.add(Long.toString(h.lastClientSeq()));
        f.add(Long.toString(h.lastSeq()));
        f.add(Long.toString(h.suspendedNanos()));
        f.add(Integer.toString(h.kept().size()));
        for (Replay.Kept k : h.kept()) {
            f.add(Long.toString(k.seq()));
            f.add(k.frame().text());
        }
        f.add(Integer.toString(h.members().size()));
        for (Member m : h.members()) {
            f.add(m.peer().value());
            f.add(m.node().value());
            f.add(m.identity() == null ? "" : m.identity());
        }
        f.add(Integer.toString(h.flush().size()));
        f.addAll(h.flush());
        return Fields.join(f);
    }

    private static Handed decode(PeerId peer, RoomId room, List<String> f) {
        int i = 1;
        long lastClientSeq = Long.parseLong(f.get(i++));
        long lastSeq = Long.parseLong(f.get(i++));
        long suspendedNanos = Long.parseLong(f.get(i++));
        int keptCount = Integer.parseInt(f.get(i++));
        List<Replay.Kept> kept = new ArrayList<>(keptCount);
        for (int k = 0; k < keptCount; k++) {
            long seq = Long.parseLong(f.get(i++));
            kept.add(new Replay.Kept(seq, TextFrame.of(f.get(i++))));
        }
        int memberCount = Integer.parseInt(f.get(i++));
        List<Member> members = new ArrayList<>(memberCount);
        for (int m = 0; m < memberCount; m++) {
            PeerId p = PeerId.of(f.get(i++));
            NodeId n = NodeId.of(f.get(i++));
            String identity = f.get(i++);
            members.add(new Member(p, n, identity.isEmpty() ? null : identity));
        }
        int flushCount = Integer.parseInt(f.get(i++));
        Set<String> flush = new LinkedHashSet<>();
        for (int n = 0; n < flushCount; n++) {
            flush.add(f.get(i++));
        }
        return new Handed(peer, room, lastClientSeq, lastSeq, suspendedNanos, kept, members, flush);
    }

    /** The nodes that must flush for a move of {@code peer} from {@code self}: every member's node but the old one. */
    static Set<String> flushSet(List<Member> members, NodeId self) {
        Set<String> nodes = new HashSet<>();
        for (Member m : members) {
            if (!m.node().equals(self)) {
                nodes.add(m.node().value());
            }
        }
        return nodes;
    }
}
