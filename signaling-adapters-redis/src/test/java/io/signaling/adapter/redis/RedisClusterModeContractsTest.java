package io.signaling.adapter.redis;

import static org.awaitility.Awaitility.await;

import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.cluster.NodeInbox;
import io.signaling.ports.cluster.NodeInboxContract;
import io.signaling.ports.cluster.NodeLease;
import io.signaling.ports.cluster.NodeLeaseContract;
import io.signaling.ports.cluster.RoomDirectory;
import io.signaling.ports.cluster.RoomDirectoryContract;
import io.signaling.ports.testing.RedisServer;
import io.signaling.ports.testing.RequiredPrograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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

    private final List<RedisServer> masters = new ArrayList<>();
    private final List<Cluster> opened = new ArrayList<>();
    private String seeds;

    @BeforeAll
    void startCluster() throws Exception {
        String cli = RequiredPrograms.require("redis-cli", "apt-get install redis-tools").toString();
        List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
        for (int i = 0; i < 3; i++) {
            RedisServer master = RedisServer.start("--cluster-enabled", "yes", "--cluster-node-timeout", "5000");
            masters.add(master);
            create.add("127.0.0.1:" + master.port());
        }
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process process = new ProcessBuilder(create).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
        }
        for (RedisServer master : masters) {
            await("cluster state ok on " + master.port()).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> master.command("CLUSTER", "INFO").contains("cluster_state:ok"));
        }
        seeds = "redis://127.0.0.1:" + masters.get(0).port() + ",redis://127.0.0.1:" + masters.get(1).port();
    }

    @AfterAll
    void stopCluster() throws InterruptedException {
        for (RedisServer master : masters) {
            master.close();
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
                for (RedisServer master : masters) {
                    master.command("FLUSHALL");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
