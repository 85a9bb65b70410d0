package io.signaling.ports.cluster;

import io.signaling.ports.health.HealthCheck;
import java.util.Objects;

/**
 * The cluster ports one node needs, from one implementation: what a composition root hands to the
 * signaling service to run as one node of many.
 *
 * @param rooms     membership across nodes
 * @param inbox     delivery to peers on other nodes
 * @param lease     liveness
 * @param health    a readiness check of the shared store (never a liveness one: a store outage
 *                  must not get every node restarted)
 * @param closer    releases the implementation's connections; called once, after the node stopped
 */
public record Cluster(RoomDirectory rooms, NodeInbox inbox, NodeLease lease, HealthCheck health, AutoCloseable closer) {
    public Cluster {
        Objects.requireNonNull(rooms, "rooms");
        Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(closer, "closer");
    }
}
