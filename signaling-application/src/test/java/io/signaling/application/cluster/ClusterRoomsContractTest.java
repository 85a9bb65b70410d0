package io.signaling.application.cluster;

import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.signaling.RoomRegistry;
import io.signaling.ports.signaling.RoomRegistryContract;

/** A cluster node's membership is a full room registry: the same kit as the single-node one, on the in-memory directory. */
class ClusterRoomsContractTest extends RoomRegistryContract {

    @Override
    protected RoomRegistry newRegistry() {
        NodeId node = NodeId.of("n1");
        return new ClusterRooms(new InMemoryCluster().rooms(), () -> node, peer -> null);
    }
}
