package io.signaling.app.config;

import java.util.Objects;

/**
 * The optional Redis fan-out between instances.
 *
 * @param enabled       {@code redis.enabled}
 * @param uri           {@code redis.uri}, {@code redis://} or {@code rediss://}
 * @param password      {@code redis.password}; masked wherever it is printed
 * @param channelPrefix {@code redis.channel-prefix}
 */
public record RedisConfig(boolean enabled, String uri, Secret password, String channelPrefix) {

    public RedisConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(channelPrefix, "channelPrefix");
    }
}
