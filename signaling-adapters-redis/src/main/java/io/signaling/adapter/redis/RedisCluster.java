package io.signaling.adapter.redis;

import io.lettuce.core.RedisURI;
import io.signaling.domain.health.CheckResult;
import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Connects to Redis and hands out the cluster ports of one node.
 *
 * <pre>{@code
 * Cluster cluster = RedisCluster.builder("redis://127.0.0.1:6379")
 *         .password(secret).keyPrefix("signaling").nodeTtl(Duration.ofSeconds(10))
 *         .commandTimeout(Duration.ofSeconds(2)).metrics(metrics).loggers(loggers)
 *         .connect();
 * }</pre>
 *
 * <p>The URI is one of {@code redis://host[:port][/db]}, {@code rediss://…} (TLS),
 * {@code redis-sentinel://host[:port][,host[:port]…][/db]#master} (Sentinel failover), or a
 * comma-separated list of two or more {@code redis://}/{@code rediss://} seeds, which means a Redis
 * Cluster. The password goes separately so it never sits in a URI that gets printed.
 */
public final class RedisCluster {

    private RedisCluster() {
    }

    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** Whether {@code uri} names a Redis Cluster (a seed list). */
    public static boolean isClusterSeedList(String uri) {
        return uri.contains(",") && !uri.toLowerCase(Locale.ROOT).startsWith("redis-sentinel");
    }

    /** The settings of one node's connection. */
    public static final class Builder {
        private final String uri;
        private String password = "";
        private String keyPrefix = "signaling";
        private Duration nodeTtl = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(2);
        private long inboxMaxLength = 100_000;
        private int requestQueueSize = 10_000;
        private long sendQueueBytes = 16L * 1024 * 1024;
        private LoggerFactory loggers = LoggerFactory.noop();
        private Metrics metrics = Metrics.noop();

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Every key starts with it, so several deployments can share one Redis. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /** The lease's time to live: a dead node's peers leave within about this long. */
        public Builder nodeTtl(Duration nodeTtl) {
            this.nodeTtl = Objects.requireNonNull(nodeTtl, "nodeTtl");
            return this;
        }

        /** The longest any command is waited for; also the connect timeout. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
            return this;
        }

        /** The approximate bound of each node's inbox stream ({@code XADD MAXLEN ~}). */
        public Builder inboxMaxLength(long inboxMaxLength) {
            this.inboxMaxLength = inboxMaxLength;
            return this;
        }

        /**
         * Commands queued at most per connection; beyond, a command fails at once. Also the number
         * of envelopes that may wait per destination node while a batch to it is in flight; beyond,
         * a publish fails at once ({@link ClusterUnavailableException}).
         */
        public Builder requestQueueSize(int requestQueueSize) {
            this.requestQueueSize = requestQueueSize;
            return this;
        }

        /**
         * Characters of envelope text (about bytes) that may wait per destination node while a
         * batch to it is in flight; beyond, a publish fails at once. One envelope larger than this
         * is still taken when nothing else waits.
         */
        public Builder sendQueueBytes(long sendQueueBytes) {
            this.sendQueueBytes = sendQueueBytes;
            return this;
        }

        public Builder loggers(LoggerFactory loggers) {
            this.loggers = Objects.requireNonNull(loggers, "loggers");
            return this;
        }

        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * How long an inbox nobody sends to outlives its last envelope: three leases, so that
         * only a node long fenced (or dead) loses it, and never less than 30 s.
         */
        static Duration inboxExpiry(Duration nodeTtl) {
            Duration three = nodeTtl.multipliedBy(3);
            return three.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : three;
        }

        /**
         * Connects (bounded by the connect timeout) and returns the node's cluster ports. When Redis
         * cannot be reached now the ports are returned all the same: every call answers
         * {@link ClusterUnavailableException} and the health check DOWN until a connection, retried
         * in the background, opens.
         *
         * @throws IllegalArgumentException for a malformed URI or setting
         */
        public Cluster connect() {
            if (nodeTtl.toMillis() < 30 || commandTimeout.toMillis() < 1 || inboxMaxLength < 1 || requestQueueSize < 1
                    || sendQueueBytes < 1) {
                throw new IllegalArgumentException("nodeTtl must be >= 30ms, commandTimeout >= 1ms, inboxMaxLength,"
                        + " requestQueueSize and sendQueueBytes >= 1");
            }
            RedisKeys keys = new RedisKeys(keyPrefix);
            boolean cluster = isClusterSeedList(uri);
            List<RedisURI> uris = new ArrayList<>();
            for (String part : cluster ? uri.split(",") : new String[] {uri}) {
                RedisURI parsed = RedisURI.create(part.trim());
                if (!password.isEmpty()) {
                    parsed.setAuthentication(password.toCharArray());
                    for (RedisURI sentinel : parsed.getSentinels()) {
                        sentinel.setAuthentication(password.toCharArray());
                    }
                }
                uris.add(parsed);
            }
            Logger log = loggers.logger(RedisCluster.class);
            RedisConnections connections = new RedisConnections(uris, cluster, commandTimeout, requestQueueSize,
                    log, metrics);
            String mode = cluster ? "cluster" : uri.toLowerCase(Locale.ROOT).startsWith("redis-sentinel") ? "sentinel" : "standalone";
            metrics.gauge("signaling.cluster.redis.up", "1 while the connection to Redis is open", Tags.empty(),
                    () -> connections.isOpen() ? 1 : 0);
            HealthCheck health = new HealthCheck() {
                @Override
                public String name() {
                    return "redis";
                }

                @Override
                public CheckResult check() {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("mode", mode);
                    try {
                        connections.await("ping", connections.async().ping());
                        return CheckResult.up("redis", data);
                    } catch (ClusterUnavailableException e) {
                        data.put("error", e.getMessage());
                        return CheckResult.down("redis", data);
                    }
                }
            };
            log.info("redis client ready", "mode", mode, "connected", connections.isOpen(), "key_prefix", keyPrefix, "node_ttl_ms", nodeTtl.toMillis(),
                    "command_timeout_ms", commandTimeout.toMillis());
            return new Cluster(new RedisRoomDirectory(connections, keys),
                    new RedisNodeInbox(connections, keys, inboxMaxLength, inboxExpiry(nodeTtl),
                            requestQueueSize, sendQueueBytes, metrics, System::nanoTime, log),
                    new RedisNodeLease(connections, keys, nodeTtl, log), health, connections);
        }
    }
}
