/**
 * Cluster ports: what several signaling nodes share so that, for every client, they behave as one
 * server. {@link io.signaling.ports.cluster.RoomDirectory} holds room membership across nodes
 * (atomic join with the size check, leave, a dead node's eviction);
 * {@link io.signaling.ports.cluster.NodeInbox} carries messages to a peer on another node, in
 * order, as {@link io.signaling.ports.cluster.Envelope}s numbered by their origin;
 * {@link io.signaling.ports.cluster.NodeLease} keeps each node's liveness (a lease tagged with the
 * node's incarnation, the election of one survivor to clean a dead node up, detection of a store
 * that lost its state). Every call that needs the shared store either answers within the
 * implementation's command timeout or throws {@link io.signaling.ports.cluster.ClusterUnavailableException};
 * none hangs. The application's {@code io.signaling.application.cluster} is written against these
 * only; {@code signaling-adapters-redis} implements them on Redis, the application module in memory.
 */
package io.signaling.ports.cluster;
