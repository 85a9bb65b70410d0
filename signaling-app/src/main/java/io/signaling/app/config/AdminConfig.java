package io.signaling.app.config;

import java.util.Objects;

/**
 * The admin listener (health, metrics), kept apart from public traffic.
 *
 * @param enabled {@code admin.enabled}
 * @param host    {@code admin.host}
 * @param port    {@code admin.port}: 0 picks a free port
 */
public record AdminConfig(boolean enabled, String host, int port) {

    public AdminConfig {
        Objects.requireNonNull(host, "host");
    }
}
