package io.signaling.application.cluster;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.MemberInfo;
import io.signaling.ports.cluster.RoomState;
import io.signaling.ports.cluster.RoomSummary;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.NodeInbox;
import io.signaling.ports.cluster.NodeLease;
import io.signaling.ports.cluster.RoomDirectory;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import io.signaling.ports.signaling.RoomRegistry;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.Tracer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One node's side of a cluster, for the signaling service: the membership it reads and changes
 * ({@link #rooms()}), delivery to peers on other nodes ({@link #forward}), and the keeper that runs
 * beside: renews the lease at a third of its TTL, fences this node when the lease was lost (its
 * sockets are closed so their clients reconnect, and it registers again under a new incarnation),
 * restores this node's rooms when the store lost its state, retries removals the store missed,
 * and cleans up after a dead node when elected to.
 *
 * <p>Every envelope to one node is numbered 1, 2, 3… by this node under that destination's lock
 * together with its hand-off to the inbox, so the numbers follow the inbox's order; the receiver
 * drops a number it has seen (a retried publish) and reports a skipped one (a lost envelope): it
 * is counted in {@code signaling.cluster.gaps} and this node's peers that share a room with the
 * origin get an {@code unavailable} error rather than a silent hole.
 *
 * <p>Thread-safety: safe for concurrent use; see {@link ClusterRooms} for the locking the service
 * provides around room changes.
 */
public final class SignalingCluster {

    /** What the cluster needs from the signaling service of this node. */
    public interface LocalNode {
        /** An envelope for a local peer arrived; apply and deliver under the room's lock. */
        void deliver(RoomId room, PeerId to, String text, Envelope.Change change);

        /** This node cleaned {@code removed} (a dead node's peers) out of {@code room}: tell those that remain. */
        void evicted(RoomId room, List<PeerId> removed, List<Member> remaining);

        /** {@code missing} envelopes from another node were lost; these local peers may have missed messages. */
        void lost(Set<PeerId> affected, long missing);

        /** The lease was lost: close every connection so its client reconnects. */
        void fence();

        /** An operator's action for this node arrived ({@link Envelope#command()} is set). */
        default void command(Envelope envelope) {
        }

        /** What a local peer tells about itself when it joins, stored for the room management API. */
        default MemberInfo info(PeerId peer) {
            return MemberInfo.unknown();
        }
    }

    private final Cluster ports;
    private final RoomDirectory directory;
    private final NodeInbox inbox;
    private final NodeLease lease;
    private final ClusterRooms rooms;
    private final Logger log;
    private final Tracer tracer;
    private final LongSupplier wallClock;
    private final SecureRandom random = new SecureRandom();
    private final Duration renewEvery;

    private final ConcurrentMap<NodeId, long[]> outbound = new ConcurrentHashMap<>();
    private final ConcurrentMap<NodeId, Long> inbound = new ConcurrentHashMap<>();
    /** Destinations that may lack an envelope this node numbered: each gets a mark at the next beat. */
    private final Set<NodeId> unconfirmed = ConcurrentHashMap.newKeySet();

    private final Metrics.Counter sent;
    private final Metrics.Counter received;
    private final Metrics.Counter sendFailures;
    private final Metrics.Counter gaps;
    private final Metrics.Counter duplicates;
    private final Metrics.Counter fencings;
    private final Metrics.Counter deadNodes;
    private final Metrics.Timer busLatency;

    private volatile NodeId self;
    private volatile boolean registered;
    private volatile boolean reachable = true;
    /** Touched by the keeper thread only. */
    private boolean restorePending;
    private volatile LocalNode local;
    private NodeInbox.Reader reader;
    private ScheduledExecutorService keeper;

    private SignalingCluster(Builder b) {
        this.ports = b.ports;
        this.directory = ports.rooms();
        this.inbox = ports.inbox();
        this.lease = ports.lease();
        this.log = b.loggers.logger(SignalingCluster.class);
        this.tracer = b.tracer;
        this.wallClock = b.wallClock;
        this.renewEvery = lease.ttl().dividedBy(3);
        this.self = freshId();
        this.rooms = new ClusterRooms(directory, () -> self, peer -> {
            LocalNode node = local;
            return node == null ? MemberInfo.unknown() : node.info(peer);
        });
        Metrics m = b.metrics;
        this.sent = m.counter("signaling.cluster.deliveries", "Envelopes to peers on other nodes, by direction",
                Tags.of("direction", "out"));
        this.received = m.counter("signaling.cluster.deliveries", "Envelopes to peers on other nodes, by direction",
                Tags.of("direction", "in"));
        this.sendFailures = m.counter("signaling.cluster.delivery.failures",
                "Envelopes the shared store refused or did not store in time (the sender got unavailable)", Tags.empty());
        this.gaps = m.counter("signaling.cluster.gaps",
                "Envelopes from other nodes found missing by their sequence numbers", Tags.empty());
        this.duplicates = m.counter("signaling.cluster.duplicates",
                "Envelopes from other nodes received twice and dropped", Tags.empty());
        this.fencings = m.counter("signaling.cluster.fencings",
                "Times this node found its lease lost and closed its connections", Tags.empty());
        this.deadNodes = m.counter("signaling.cluster.dead.nodes",
                "Dead nodes this node cleaned up after", Tags.empty());
        this.busLatency = m.timer("signaling.cluster.bus",
                "Time from an envelope's publish on one node to its receipt on another (wall clocks)", Tags.empty());
        m.gauge("signaling.cluster.registered", "1 while this node holds its lease", Tags.empty(),
                () -> registered && reachable ? 1 : 0);
    }

    public static Builder builder(Cluster ports) {
        return new Builder(ports);
    }

    /** Membership as this node sees it; the service's room registry. */
    public RoomRegistry rooms() {
        return rooms;
    }

    /** This node's current incarnation. */
    public NodeId node() {
        return self;
    }

    /** The shared store's readiness check. */
    public HealthCheck health() {
        return ports.health();
    }

    /** What {@code unavailable} tells the client to wait: a third of the lease, the keeper's beat. */
    public long retryAfterMillis() {
        return Math.max(100, renewEvery.toMillis());
    }

    public boolean isLocal(PeerId peer) {
        return rooms.isLocal(peer);
    }

    /** The identity of a peer of one of this node's rooms (on any node), or null when it has none or is unknown. */
    public String identityOf(PeerId peer) {
        return rooms.identityOf(peer);
    }

    /** The node holding {@code peer}, when it is in one of this node's rooms. */
    public Optional<NodeId> nodeOf(PeerId peer) {
        return rooms.nodeOf(peer);
    }

    // ---------------------------------------------------------------- resume on another node

    /** Whether {@code node} holds its lease now; throws {@link ClusterUnavailableException} when the store does not answer. */
    public boolean alive(NodeId node) {
        return lease.alive(node);
    }

    /**
     * How long a node waits for another node's answer to a session hand-over: a third of the
     * lease, the keeper's beat (which is at least the store's command timeout).
     */
    public Duration handOverTimeout() {
        return renewEvery;
    }

    /** How long a lease lives: beyond it, a node that has not answered is taken for dead. */
    public Duration leaseTtl() {
        return lease.ttl();
    }

    /**
     * A local member of {@code room} moves to {@code to} (its client resumed there). Call under the
     * room's lock.
     *
     * @return the members after the move; empty when the store did not hold it here (nothing changed)
     */
    public Optional<List<Member>> moveOut(RoomId room, PeerId peer, NodeId to) {
        return rooms.moveOut(room, peer, to);
    }

    /** A member of {@code room} moved here ({@code members}: the store's word at the move). Call under the room's lock. */
    public void moveIn(RoomId room, PeerId peer, List<Member> members) {
        rooms.moveIn(room, peer, members);
    }

    /**
     * (v1.1) Tells the shared store that the session of {@code peer}, a local member of {@code room},
     * is suspended or connected again, so that the room management API of every node shows it.
     * Best effort: a store that cannot be reached keeps the previous state (logged).
     */
    public void markSuspended(RoomId room, PeerId peer, boolean suspended) {
        try {
            directory.suspended(room, peer, self, suspended);
        } catch (ClusterUnavailableException e) {
            log.debug("session state not stored", "peer_id", peer.value(), "error", e.getMessage());
        }
    }

    /** Another node announced that {@code peer} of {@code room} lives on {@code node} now. Call under the room's lock. */
    public void moved(RoomId room, PeerId peer, NodeId node) {
        rooms.moved(room, peer, node);
    }

    // ---------------------------------------------------------------- room management

    /** The room as the shared store holds it, every node's members included; empty when it has none. */
    public Optional<RoomState> room(RoomId room) {
        return directory.room(room);
    }

    /** A page of the cluster's rooms in name order, after {@code after} (exclusive; null from the first). */
    public List<RoomSummary> rooms(RoomId after, int limit) {
        return directory.rooms(after, limit);
    }

    /** Removes every member of {@code room} from the shared store at once; each node then hears of its own. */
    public List<Member> closeInStore(RoomId room) {
        return directory.close(room);
    }

    /**
     * A peer of a room the store already closed is gone from this node's view (and from its local
     * peers if it was one). Call under the room's lock.
     *
     * @return whether it was a local member of that room
     */
    public boolean dropClosed(RoomId room, PeerId peer) {
        return rooms.dropClosed(room, peer);
    }

    /** Applies a change another node announced to this node's view; call under the room's lock. */
    public void apply(RoomId room, Envelope.Change change) {
        rooms.apply(room, change);
    }

    /** After a change of {@code room} was delivered: forget its view if no local member is left. */
    public void settle(RoomId room) {
        rooms.settle(room);
    }

    /**
     * Hands a message for a peer on {@code node} to that node's inbox; never blocks. Call under the
     * lock that orders the sender's messages (the room's lock), so envelopes keep that order.
     *
     * @param onFailure called (on any thread) when the store refused it or did not confirm it in time
     */
    public void forward(NodeId node, RoomId room, PeerId to, String text, Envelope.Change change,
                        Consumer<Throwable> onFailure) {
        forward(node, room, to, text, change, null, onFailure);
    }

    /**
     * As {@link #forward(NodeId, RoomId, PeerId, String, Envelope.Change, Consumer)}, carrying an
     * operator's {@code command} for the receiving node (in the same numbered, ordered stream as
     * every other envelope to that node).
     */
    public void forward(NodeId node, RoomId room, PeerId to, String text, Envelope.Change change,
                        Envelope.Command command, Consumer<Throwable> onFailure) {
        String traceParent = null;
        io.signaling.ports.trace.TraceContext context = tracer.current();
        if (context != null && context.isValid()) {
            Map<String, String> carrier = new HashMap<>(2);
            tracer.inject(context, carrier);
            traceParent = carrier.get("traceparent");
        }
        long[] next = outbound.computeIfAbsent(node, n -> new long[1]);
        CompletableFuture<Void> stored;
        boolean freed = false;
        synchronized (next) {
            long sequence = ++next[0];
            stored = inbox.publish(node, new Envelope(self, sequence, to, room, text, change, traceParent,
                    wallClock.getAsLong(), command)).toCompletableFuture();
            if (stored.isCompletedExceptionally() && change == null) {
                // A relay or an operator's command refused at once (disconnected, queue full) was never
                // stored and its sender is told: the number is free again. A membership notice keeps its
                // number, so the receiver finds the hole (at the latest by the mark that follows) and tells its peers.
                next[0]--;
                freed = true;
            }
        }
        sent.increment();
        boolean numberFreed = freed;
        stored.whenComplete((ok, error) -> {
            if (error != null) {
                sendFailures.increment();
                if (!numberFreed) {
                    // Its number is used but the envelope may be missing: a mark once the store is
                    // back lets the receiver report it even if nothing else follows from here.
                    unconfirmed.add(node);
                }
                onFailure.accept(error);
            }
        });
    }

    /**
     * Publishes a mark to each node that may be missing envelopes from this one (unconfirmed
     * publishes, or every destination after the store lost its state), so its receiver reports the
     * hole now rather than when a later message happens to follow. Runs on the keeper.
     */
    private void sendMarks() {
        for (NodeId node : List.copyOf(unconfirmed)) {
            long[] next = outbound.get(node);
            if (next == null) {
                unconfirmed.remove(node);
                continue;
            }
            unconfirmed.remove(node);
            CompletableFuture<Void> stored;
            synchronized (next) {
                long sequence = ++next[0];
                stored = inbox.publish(node, Envelope.mark(self, sequence, wallClock.getAsLong())).toCompletableFuture();
                if (stored.isCompletedExceptionally()) {
                    next[0]--;
                }
            }
            stored.whenComplete((ok, error) -> {
                if (error != null) {
                    unconfirmed.add(node);
                }
            });
        }
    }

    // ---------------------------------------------------------------- inbound

    private void onEnvelope(Envelope envelope) {
        received.increment();
        busLatency.recordNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(0, wallClock.getAsLong() - envelope.sentAtMillis())));
        long last = inbound.getOrDefault(envelope.origin(), 0L);
        if (envelope.sequence() <= last) {
            duplicates.increment();
            return;
        }
        inbound.put(envelope.origin(), envelope.sequence());
        LocalNode node = local;
        if (envelope.sequence() > last + 1) {
            long missing = envelope.sequence() - last - 1;
            gaps.increment(missing);
            Set<PeerId> affected = rooms.localPeersSharingRoomsWith(envelope.origin());
            log.warn("envelopes from another node were lost", "origin", envelope.origin().value(),
                    "missing", missing, "affected_peers", affected.size());
            if (node != null && !affected.isEmpty()) {
                node.lost(affected, missing);
            }
        }
        if (node == null || envelope.isMark()) {
            return;
        }
        Span span = null;
        if (envelope.traceParent() != null) {
            span = tracer.spanBuilder("signaling.cluster.deliver").kind(SpanKind.CONSUMER)
                    .parent(tracer.extract(Map.of("traceparent", envelope.traceParent())))
                    .attribute("signaling.cluster.origin", envelope.origin().value()).start();
        }
        try (Scope ignored = span == null ? null : span.makeCurrent()) {
            if (envelope.command() != null) {
                node.command(envelope);
                return;
            }
            node.deliver(envelope.room(), envelope.to(), envelope.text(), envelope.change());
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }

    // ---------------------------------------------------------------- keeper

    /**
     * Registers this node (lease, inbox) and starts the keeper. When the store cannot be reached
     * now the node starts all the same (same-node rooms work; what needs the store answers
     * {@code unavailable}) and the keeper registers it as soon as the store answers.
     */
    public void start(LocalNode localNode) {
        this.local = Objects.requireNonNull(localNode, "localNode");
        try {
            register();
        } catch (ClusterUnavailableException e) {
            reachable = false;
            log.warn("shared store unreachable at start; this node registers as soon as it answers",
                    "node", self.value(), "error", e.getMessage());
        }
        keeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "signaling-cluster-keeper");
            thread.setDaemon(true);
            return thread;
        });
        keeper.scheduleWithFixedDelay(this::keep, renewEvery.toNanos(), renewEvery.toNanos(), TimeUnit.NANOSECONDS);
        if (registered) {
            log.info("cluster node registered", "node", self.value(), "lease_ttl_ms", lease.ttl().toMillis());
        }
    }

    private void register() {
        lease.acquire(self);
        synchronized (this) {
            if (reader == null) {
                reader = inbox.open(self, this::onEnvelope);
            }
        }
        registered = true;
    }

    private void keep() {
        try {
            if (!registered) {
                register();
                log.info("cluster node registered", "node", self.value(), "lease_ttl_ms", lease.ttl().toMillis());
            }
            NodeLease.Renewal renewal = lease.renew(self);
            if (!reachable) {
                reachable = true;
                log.info("shared store reachable again", "node", self.value());
            }
            if (renewal == NodeLease.Renewal.LOST) {
                fence();
                return;
            }
            if (renewal == NodeLease.Renewal.STORE_RESET) {
                // Whatever the store held for the others is gone with it: every destination gets a mark.
                unconfirmed.addAll(outbound.keySet());
                restorePending = true;
            }
            if (restorePending) {
                // Until it succeeded: a restore cut short by the store failing again is redone.
                restore();
                restorePending = false;
            }
            sendMarks();
            repair();
            cleanUpDeadNodes();
        } catch (ClusterUnavailableException e) {
            if (reachable) {
                reachable = false;
                log.warn("shared store unreachable; cross-node work answers unavailable until it is back",
                        "node", self.value(), "error", e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("cluster keeper failed", e);
        }
    }

    private void fence() {
        NodeId old = self;
        fencings.increment();
        log.warn("lease lost (a pause or partition outlived it): fencing this node; its connections are closed "
                + "and it registers under a new incarnation", "node", old.value());
        registered = false;
        LocalNode node = local;
        if (node != null) {
            node.fence();
        }
        synchronized (this) {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
        outbound.clear();
        unconfirmed.clear();
        restorePending = false;
        self = freshId();
        try {
            register();
            log.info("cluster node registered again after fencing", "old_node", old.value(), "node", self.value());
        } catch (ClusterUnavailableException e) {
            log.warn("registration after fencing failed; retrying", "error", e.getMessage());
        }
    }

    private void restore() {
        Map<RoomId, List<Member>> mine = rooms.localMembers();
        for (Map.Entry<RoomId, List<Member>> room : mine.entrySet()) {
            directory.restore(room.getKey(), room.getValue().stream().map(m -> new Member(m.peer(), self, m.identity())).toList());
        }
        log.warn("shared store had lost its state: this node's rooms restored", "node", self.value(), "rooms", mine.size());
    }

    private void repair() {
        ClusterRooms.Repair repair;
        while ((repair = rooms.repairs().peek()) != null) {
            if (rooms.isLocal(repair.peer())) {
                // Joined again since: the directory holds it rightly.
                rooms.repairs().poll();
                continue;
            }
            Optional<List<Member>> remaining = directory.leave(repair.room(), repair.peer());
            rooms.repairs().poll();
            if (remaining.isPresent()) {
                LocalNode node = local;
                List<Member> others = remaining.get().stream().filter(m -> !m.node().equals(self)).toList();
                if (node != null && !others.isEmpty()) {
                    node.evicted(repair.room(), List.of(repair.peer()), others);
                }
            }
        }
    }

    private void cleanUpDeadNodes() {
        for (NodeId dead : lease.expired(self)) {
            if (!lease.claimCleanup(self, dead)) {
                continue;
            }
            int peers = 0;
            Set<RoomId> deadRooms = directory.roomsOf(dead);
            for (RoomId room : deadRooms) {
                RoomDirectory.Eviction eviction = directory.evict(room, dead);
                peers += eviction.removed().size();
                LocalNode node = local;
                if (node != null && !eviction.removed().isEmpty() && !eviction.remaining().isEmpty()) {
                    node.evicted(room, eviction.removed(), eviction.remaining());
                }
            }
            directory.forget(dead);
            inbox.delete(dead);
            lease.forget(dead);
            outbound.remove(dead);
            unconfirmed.remove(dead);
            inbound.remove(dead);
            deadNodes.increment();
            log.warn("dead node cleaned up", "dead_node", dead.value(), "rooms", deadRooms.size(), "peers", peers);
        }
    }

    /** Leaves the cluster in order: the lease released, the inbox and room index deleted, connections closed. */
    public void stop() {
        if (keeper != null) {
            keeper.shutdownNow();
            try {
                keeper.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
        try {
            if (registered) {
                lease.release(self);
                directory.forget(self);
                inbox.delete(self);
            }
        } catch (ClusterUnavailableException e) {
            log.warn("could not deregister from the shared store; the lease expires by itself", "error", e.getMessage());
        }
        registered = false;
        try {
            ports.closer().close();
        } catch (Exception e) {
            log.warn("closing the shared store's connections failed", e);
        }
        log.info("cluster node left", "node", self.value());
    }

    private NodeId freshId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return NodeId.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** Assembles a {@link SignalingCluster} over one node's cluster ports. */
    public static final class Builder {
        private final Cluster ports;
        private LoggerFactory loggers = LoggerFactory.noop();
        private Metrics metrics = Metrics.noop();
        private Tracer tracer = Tracer.noop();
        private LongSupplier wallClock = System::currentTimeMillis;

        private Builder(Cluster ports) {
            this.ports = Objects.requireNonNull(ports, "ports");
        }

        public Builder loggers(LoggerFactory loggers) {
            this.loggers = Objects.requireNonNull(loggers, "loggers");
            return this;
        }

        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = Objects.requireNonNull(tracer, "tracer");
            return this;
        }

        /** The wall clock stamped on envelopes for the bus latency; default the system's. */
        public Builder wallClock(LongSupplier wallClock) {
            this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
            return this;
        }

        public SignalingCluster build() {
            return new SignalingCluster(this);
        }
    }
}
