package io.signaling.app.cluster;

import io.signaling.adapter.redis.RedisCluster;
import io.signaling.application.cluster.SignalingCluster;
import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.signaling.RoomRegistry;
import io.signaling.ports.signaling.RoomRegistryContract;
import io.signaling.ports.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The RoomRegistry kit (the one the single-node registry passes) against a cluster node's
 * membership on a real redis-server: what the signaling service reads and changes in a cluster.
 */
class RedisRoomRegistryContractTest extends RoomRegistryContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private final List<Cluster> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeConnections() throws Exception {
        for (Cluster cluster : opened) {
            cluster.closer().close();
        }
    }

    @Override
    protected RoomRegistry newRegistry() {
        Cluster ports = RedisCluster.builder(redis.uri()).keyPrefix("registry-" + PREFIXES.incrementAndGet())
                .commandTimeout(Duration.ofSeconds(5)).nodeTtl(Duration.ofSeconds(30)).connect();
        opened.add(ports);
        return SignalingCluster.builder(ports).build().rooms();
    }
}
