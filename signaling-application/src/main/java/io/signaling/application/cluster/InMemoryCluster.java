package io.signaling.application.cluster;

import io.signaling.domain.health.CheckResult;
import io.signaling.domain.health.HealthStatus;
import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.cluster.NodeInbox;
import io.signaling.ports.cluster.NodeLease;
import io.signaling.ports.cluster.RoomDirectory;
import io.signaling.ports.health.HealthCheck;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A cluster whose nodes all live in one process: the cluster ports in memory, for tests and for
 * trying several nodes in one JVM without a shared store. Each {@link #node} call gives one node's
 * set of ports onto the same shared state.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class InMemoryCluster {

    private final InMemoryRoomDirectory rooms = new InMemoryRoomDirectory();
    private final InMemoryNodeInbox inbox = new InMemoryNodeInbox();
    private final InMemoryNodeLease.State leases = new InMemoryNodeLease.State();

    public RoomDirectory rooms() {
        return rooms;
    }

    public NodeInbox inbox() {
        return inbox;
    }

    /** One node's client of the shared leases. */
    public NodeLease lease(Duration ttl) {
        return new InMemoryNodeLease(leases, ttl, System::nanoTime);
    }

    /** The ports of one more node, with leases that live {@code ttl}. */
    public Cluster node(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        HealthCheck health = new HealthCheck() {
            @Override
            public String name() {
                return "cluster";
            }

            @Override
            public CheckResult check() {
                return new CheckResult("cluster", HealthStatus.UP, Map.of("store", "memory"));
            }
        };
        return new Cluster(rooms, inbox, lease(ttl), health, () -> { });
    }

    /** Loses every key at once, as a store restarted without persistence would. */
    public void wipe() {
        rooms.wipe();
        inbox.wipe();
        InMemoryNodeLease.wipe(leases);
    }
}
