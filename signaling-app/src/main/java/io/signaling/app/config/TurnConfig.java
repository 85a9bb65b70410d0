package io.signaling.app.config;

import io.signaling.ports.signaling.IceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The STUN/TURN servers handed to clients.
 *
 * @param urls    {@code turn.urls}
 * @param secrets {@code turn.secrets}: the first signs; masked wherever printed
 * @param ttl     {@code turn.ttl}
 */
public record TurnConfig(List<String> urls, List<Secret> secrets, Duration ttl) {

    public TurnConfig {
        urls = List.copyOf(urls);
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(ttl, "ttl");
    }

    public IceSettings toSettings() {
        return new IceSettings(urls, secrets.stream().map(Secret::reveal).toList(), ttl);
    }
}
