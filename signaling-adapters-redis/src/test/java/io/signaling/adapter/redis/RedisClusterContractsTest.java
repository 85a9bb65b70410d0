package io.signaling.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.NodeInbox;
import io.signaling.ports.cluster.NodeInboxContract;
import io.signaling.ports.cluster.NodeLease;
import io.signaling.ports.cluster.NodeLeaseContract;
import io.signaling.ports.cluster.RoomDirectory;
import io.signaling.ports.cluster.RoomDirectoryContract;
import io.signaling.ports.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cluster ports' contract kits against a real redis-server (a child process of this test).
 * Each test gets its own key prefix, which is how "a fresh store" is had without a flush; several
 * clients of one test are several Lettuce connections, as several nodes would hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterContractsTest {

    private RedisServer server;
    private final List<Cluster> opened = new ArrayList<>();

    @BeforeAll
    void startRedis() throws IOException {
        server = RedisServer.start();
    }

    @AfterAll
    void stopRedis() throws InterruptedException {
        if (server != null) {
            server.close();
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
        Cluster cluster = RedisCluster.builder(server.uri()).keyPrefix(prefix).nodeTtl(ttl)
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
                server.command("FLUSHALL");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Not a contract of the port but of this adapter's keys: an inbox written to after its node
     * died (the case no survivor cleans up: the node died while Redis was down) must not stay in
     * Redis for ever. Every publish leaves the stream with an expiry of three leases (at least 30 s).
     */
    @Test
    void anInboxSomeoneSendsToCarriesAnExpirySoAnOrphanGoesAwayByItself() throws Exception {
        String prefix = freshPrefix();
        Cluster sender = connect(prefix, Duration.ofSeconds(20));
        NodeId dead = NodeId.of("gone-" + UUID.randomUUID());
        sender.inbox().publish(dead, Envelope.mark(
                NodeId.of("sender"), 1, System.currentTimeMillis()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        // The expiry is set by the same script as the append, after it.
        sender.inbox().publish(dead, Envelope.mark(
                NodeId.of("sender"), 2, System.currentTimeMillis()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        String key = prefix + ":inbox:" + dead.value();
        assertEquals(":2", server.command("XLEN", key));
        long ttl = Long.parseLong(server.command("PTTL", key).substring(1));
        // 3 x 20 s lease = 60 s; -1 would mean no expiry (the orphan of before), -2 no key.
        assertTrue(ttl > 50_000L && ttl <= 60_000L, "PTTL of the inbox: " + ttl);
    }
}
