package io.signaling.adapter.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.NodeLease;
import io.signaling.ports.log.Logger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Node leases in Redis: {@code SET lease:<node> <node> PX ttl}, extended by a script only while the
 * value is still this incarnation's; the registered nodes in one set; cleanup claims with
 * {@code SET NX PX}. An epoch key, created once by whichever node comes first, is read on every
 * renewal: if it vanished or changed, Redis lost its state (restarted without persistence, or was
 * flushed), and the node registers again instead of believing it was declared dead. Each key is
 * used by single-key commands only, so this runs on a Redis Cluster as it is.
 */
final class RedisNodeLease implements NodeLease {

    private static final String EXTEND = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """;

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final Duration ttl;
    private final Logger log;
    private final SecureRandom random = new SecureRandom();
    private final Object epochLock = new Object();
    private String seenEpoch;

    RedisNodeLease(RedisConnections redis, RedisKeys keys, Duration ttl, Logger log) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.log = log;
    }

    @Override
    public void acquire(NodeId node) {
        synchronized (epochLock) {
            seenEpoch = currentEpoch();
        }
        redis.await("lease", redis.control().set(keys.lease(node), node.value(), SetArgs.Builder.px(ttl.toMillis())));
        redis.await("node set", redis.control().sadd(keys.nodes(), node.value()));
    }

    /** The epoch, created if missing (only the first creator's value sticks). */
    private String currentEpoch() {
        String epoch = redis.await("epoch", redis.control().get(keys.epoch()));
        if (epoch != null) {
            return epoch;
        }
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        redis.await("epoch", redis.control().set(keys.epoch(), HexFormat.of().formatHex(bytes), SetArgs.Builder.nx()));
        return redis.await("epoch", redis.control().get(keys.epoch()));
    }

    @Override
    public Renewal renew(NodeId node) {
        synchronized (epochLock) {
            String epoch = redis.await("epoch", redis.control().get(keys.epoch()));
            if (epoch == null || !epoch.equals(seenEpoch)) {
                log.warn("redis lost its state (restart or flush): registering again", "node", node.value());
                acquire(node);
                return Renewal.STORE_RESET;
            }
        }
        Long extended = redis.await("lease", redis.control().eval(EXTEND, ScriptOutputType.INTEGER,
                new String[] {keys.lease(node)}, node.value(), Long.toString(ttl.toMillis())));
        return extended != null && extended == 1L ? Renewal.RENEWED : Renewal.LOST;
    }

    @Override
    public boolean alive(NodeId node) {
        return node.value().equals(redis.await("lease", redis.control().get(keys.lease(node))));
    }

    @Override
    public List<NodeId> expired(NodeId self) {
        Set<String> nodes = redis.await("node set", redis.control().smembers(keys.nodes()));
        Map<NodeId, RedisFuture<Long>> checks = new LinkedHashMap<>();
        for (String value : nodes) {
            NodeId node = NodeId.of(value);
            if (!node.equals(self)) {
                checks.put(node, redis.control().exists(keys.lease(node)));
            }
        }
        List<NodeId> expired = new ArrayList<>();
        for (Map.Entry<NodeId, RedisFuture<Long>> check : checks.entrySet()) {
            if (redis.await("lease", check.getValue()) == 0L) {
                expired.add(check.getKey());
            }
        }
        return expired;
    }

    @Override
    public boolean claimCleanup(NodeId self, NodeId dead) {
        String ok = redis.await("cleanup claim", redis.control().set(keys.cleanup(dead), self.value(),
                SetArgs.Builder.nx().px(ttl.toMillis())));
        return "OK".equals(ok);
    }

    @Override
    public void forget(NodeId node) {
        redis.await("node set", redis.control().srem(keys.nodes(), node.value()));
    }

    @Override
    public void release(NodeId node) {
        redis.await("lease", redis.control().del(keys.lease(node)));
        redis.await("node set", redis.control().srem(keys.nodes(), node.value()));
    }

    @Override
    public Duration ttl() {
        return ttl;
    }
}
