package io.signaling.application.cluster;

import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.NodeLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Leases of the nodes of one process, on a monotonic clock. The shared {@link State} is the
 * "store"; each instance is one node's client of it and remembers the store's epoch it last saw,
 * which is how a wipe is reported once per client.
 */
final class InMemoryNodeLease implements NodeLease {

    /** What every client of one in-memory cluster shares; its monitor guards it. */
    static final class State {
        final Map<NodeId, Long> leases = new java.util.HashMap<>();
        final Set<NodeId> nodes = new LinkedHashSet<>();
        final Map<NodeId, Long> claims = new java.util.HashMap<>();
        long epoch = 1;
    }

    private final State state;
    private final Duration ttl;
    private final LongSupplier nanoTime;
    private long seenEpoch;

    InMemoryNodeLease(State state, Duration ttl, LongSupplier nanoTime) {
        this.state = Objects.requireNonNull(state, "state");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public void acquire(NodeId node) {
        synchronized (state) {
            seenEpoch = state.epoch;
            state.leases.put(node, nanoTime.getAsLong() + ttl.toNanos());
            state.nodes.add(node);
        }
    }

    @Override
    public Renewal renew(NodeId node) {
        synchronized (state) {
            if (seenEpoch != state.epoch) {
                acquire(node);
                return Renewal.STORE_RESET;
            }
            Long expiry = state.leases.get(node);
            long now = nanoTime.getAsLong();
            if (expiry == null || expiry - now <= 0) {
                state.leases.remove(node);
                return Renewal.LOST;
            }
            state.leases.put(node, now + ttl.toNanos());
            return Renewal.RENEWED;
        }
    }

    @Override
    public boolean alive(NodeId node) {
        synchronized (state) {
            Long expiry = state.leases.get(node);
            return expiry != null && expiry - nanoTime.getAsLong() > 0;
        }
    }

    @Override
    public List<NodeId> expired(NodeId self) {
        synchronized (state) {
            long now = nanoTime.getAsLong();
            List<NodeId> expired = new ArrayList<>();
            for (NodeId node : state.nodes) {
                Long expiry = state.leases.get(node);
                if (!node.equals(self) && (expiry == null || expiry - now <= 0)) {
                    expired.add(node);
                }
            }
            return expired;
        }
    }

    @Override
    public boolean claimCleanup(NodeId self, NodeId dead) {
        synchronized (state) {
            long now = nanoTime.getAsLong();
            Long claim = state.claims.get(dead);
            if (claim != null && claim - now > 0) {
                return false;
            }
            state.claims.put(dead, now + ttl.toNanos());
            return true;
        }
    }

    @Override
    public void forget(NodeId node) {
        synchronized (state) {
            state.nodes.remove(node);
            state.claims.remove(node);
        }
    }

    @Override
    public void release(NodeId node) {
        synchronized (state) {
            state.leases.remove(node);
            state.nodes.remove(node);
        }
    }

    @Override
    public Duration ttl() {
        return ttl;
    }

    static void wipe(State state) {
        synchronized (state) {
            state.leases.clear();
            state.nodes.clear();
            state.claims.clear();
            state.epoch++;
        }
    }
}
