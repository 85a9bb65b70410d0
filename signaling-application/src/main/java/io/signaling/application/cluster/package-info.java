/**
 * Several nodes as one server: the signaling service's cluster side (routing deliveries to peers
 * on other nodes, numbering and checking envelopes, keeping the node's lease, cleaning dead nodes
 * up, fencing) written against the cluster ports only, and {@link
 * io.signaling.application.cluster.InMemoryCluster}, those ports in memory for one process.
 */
package io.signaling.application.cluster;
