package io.signaling.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The optional Redis that turns nodes into one cluster (docs/cluster.md).
 *
 * @param enabled          {@code redis.enabled}
 * @param uri              {@code redis.uri}: {@code redis://}, {@code rediss://}, {@code redis-sentinel://},
 *                         or a comma-separated cluster seed list
 * @param password         {@code redis.password}; masked wherever it is printed
 * @param keyPrefix        {@code redis.key-prefix}
 * @param nodeTtl          {@code redis.node-ttl}: the node lease, renewed at a third of it
 * @param commandTimeout   {@code redis.command-timeout}
 * @param inboxMaxLength   {@code redis.inbox-max-length}
 * @param requestQueueSize {@code redis.request-queue-size}
 * @param sendQueueBytes   {@code redis.send-queue-bytes}
 */
public record RedisConfig(boolean enabled, String uri, Secret password, String keyPrefix, Duration nodeTtl,
                          Duration commandTimeout, int inboxMaxLength, int requestQueueSize,
                          long sendQueueBytes) {

    public RedisConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(nodeTtl, "nodeTtl");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
    }
}
