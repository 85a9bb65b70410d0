package io.signaling.app.signaling;

import io.signaling.ports.testing.RedisClusterServers;

/**
 * Every {@link ClusterTest} again, on a real 3-master Redis Cluster (three
 * {@code redis-server --cluster-enabled yes} joined by {@code redis-cli --cluster create}, loopback
 * only), the nodes given a seed list of two of them: room scripts must stay in one hash slot and
 * inboxes, leases and indexes live on whichever master owns their slot.
 */
class ClusterOnRedisClusterTest extends ClusterTest {

    private RedisClusterServers servers;

    @Override
    protected String startRedis() throws Exception {
        servers = RedisClusterServers.start();
        return servers.seeds();
    }

    @Override
    protected void stopRedis() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }
}
