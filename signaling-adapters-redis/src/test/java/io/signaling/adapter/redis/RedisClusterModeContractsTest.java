package io.signaling.adapter.redis;

import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.cluster.NodeInbox;
import io.signaling.ports.cluster.NodeInboxContract;
import io.signaling.ports.cluster.NodeLease;
import io.signaling.ports.cluster.NodeLeaseContract;
import io.signaling.ports.cluster.RoomDirectory;
import io.signaling.ports.cluster.RoomDirectoryContract;
import io.signaling.ports.testing.RedisClusterServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * The cluster ports' contract kits against a real 3-master Redis Cluster started here
 * ({@code redis-server --cluster-enabled yes} ×3 and {@code redis-cli --cluster create}, loopback
 * only): every script must stay in one hash slot, or Redis refuses it with CROSSSLOT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterModeContractsTest {

    private final List<Cluster> opened = new ArrayList<>();
    private RedisClusterServers servers;
    private String seeds;

    @BeforeAll
    void startCluster() throws Exception {
        servers = RedisClusterServers.start();
        seeds = servers.seeds();
    }

    @AfterAll
    void stopCluster() throws InterruptedException {
        if (servers != null) {
            servers.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (Cluster cluster : opened) {
            cluster.closer().close();
        }
        opened.clear();
    }

    private Cluster connect(String prefix, Duration ttl) {
        Cluster cluster = RedisCluster.builder(seeds).keyPrefix(prefix).nodeTtl(ttl)
                .commandTimeout(Duration.ofSeconds(5)).connect();
        opened.add(cluster);
        return cluster;
    }

    private static String freshPrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "");
    }

    @Nested
    class Rooms extends RoomDirectoryContract {
        private final String prefix = freshPrefix();

        @Override
        protected RoomDirectory newDirectory() {
            return connect(prefix, Duration.ofSeconds(10)).rooms();
        }
    }

    @Nested
    class Inbox extends NodeInboxContract {
        private final String prefix = freshPrefix();

        @Override
        protected NodeInbox newInbox() {
            return connect(prefix, Duration.ofSeconds(10)).inbox();
        }
    }

    @Nested
    class Lease extends NodeLeaseContract {
        private final String prefix = freshPrefix();

        @Override
        protected NodeLease newLease(Duration ttl) {
            return connect(prefix, ttl).lease();
        }

        @Override
        protected void wipeStore() {
            try {
                servers.flushAll();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
