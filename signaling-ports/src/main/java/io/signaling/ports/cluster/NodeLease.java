package io.signaling.ports.cluster;

import java.time.Duration;
import java.util.List;

/**
 * Node liveness: each node incarnation holds a lease in the shared store, renewed well inside its
 * time to live; a node whose lease expired is dead, and one surviving node (elected through
 * {@link #claimCleanup}) removes what it left behind.
 *
 * <p>Direction: outbound. The application schedules the calls (renew at a third of the TTL, look
 * for expired nodes, fence itself on {@link Renewal#LOST}).
 *
 * <p>Guarantees: {@link #renew} reports {@link Renewal#LOST} when the lease expired or belongs to
 * another incarnation (the node must fence itself: stop serving and re-register under a new
 * incarnation), and {@link Renewal#STORE_RESET} when the store lost its state since the last call
 * (a restart or flush: the node registers again and restores its rooms; the lease is re-taken by
 * that same call). {@link #claimCleanup} returns true to exactly one caller per dead node while the
 * claim holds (one {@link #ttl()}); a claim that is not followed by {@link #forget} expires, so a
 * cleaner that dies mid-way is replaced. Every method answers within the command timeout or throws
 * {@link ClusterUnavailableException}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public interface NodeLease {

    /** Registers a new incarnation: takes its lease and adds it to the set of nodes. */
    void acquire(NodeId node);

    /** Extends the lease of {@code node}, if it still holds it. */
    Renewal renew(NodeId node);

    /** Whether {@code node} holds its lease now (a node that is gone, dead or stopped, does not). */
    boolean alive(NodeId node);

    /** The registered nodes whose lease is gone, {@code self} excluded. */
    List<NodeId> expired(NodeId self);

    /** Whether {@code self} is the one node to clean {@code dead} up (for one TTL). */
    boolean claimCleanup(NodeId self, NodeId dead);

    /** Removes {@code node} from the set of nodes (after its cleanup, or as its own orderly exit). */
    void forget(NodeId node);

    /** Releases {@code node}'s lease and forgets it: the orderly end of an incarnation. */
    void release(NodeId node);

    /** How long a lease lives without renewal. */
    Duration ttl();

    /** The outcome of {@link #renew}. */
    enum Renewal {
        RENEWED,
        /** Expired or taken: fence. */
        LOST,
        /** The store lost its state; the lease has been taken again: restore. */
        STORE_RESET
    }
}
