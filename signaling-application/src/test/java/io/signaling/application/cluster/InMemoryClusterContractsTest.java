package io.signaling.application.cluster;

import io.signaling.ports.cluster.NodeInbox;
import io.signaling.ports.cluster.NodeInboxContract;
import io.signaling.ports.cluster.NodeLease;
import io.signaling.ports.cluster.NodeLeaseContract;
import io.signaling.ports.cluster.RoomDirectory;
import io.signaling.ports.cluster.RoomDirectoryContract;
import java.time.Duration;
import org.junit.jupiter.api.Nested;

/** The cluster ports' contract kits against the in-memory implementations. */
class InMemoryClusterContractsTest {

    @Nested
    class Rooms extends RoomDirectoryContract {
        private final InMemoryCluster cluster = new InMemoryCluster();

        @Override
        protected RoomDirectory newDirectory() {
            return cluster.rooms();
        }
    }

    @Nested
    class Inbox extends NodeInboxContract {
        private final InMemoryCluster cluster = new InMemoryCluster();

        @Override
        protected NodeInbox newInbox() {
            return cluster.inbox();
        }
    }

    @Nested
    class Lease extends NodeLeaseContract {
        private final InMemoryCluster cluster = new InMemoryCluster();

        @Override
        protected NodeLease newLease(Duration ttl) {
            return cluster.lease(ttl);
        }

        @Override
        protected void wipeStore() {
            cluster.wipe();
        }
    }
}
