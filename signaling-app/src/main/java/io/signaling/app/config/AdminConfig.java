package io.signaling.app.config;

import java.util.Objects;

/**
 * The admin listener (health, metrics), kept apart from public traffic.
 *
 * @param enabled {@code admin.enabled}
 * @param host    {@code admin.host}
 * @param port    {@code admin.port}: 0 picks a free port
 * @param allowPublic {@code admin.allow-public}: whether {@code host} may be other than loopback
 */
public record AdminConfig(boolean enabled, String host, int port, boolean allowPublic) {

    public AdminConfig {
        Objects.requireNonNull(host, "host");
    }

    /** A listener that may bind loopback only. */
    public AdminConfig(boolean enabled, String host, int port) {
        this(enabled, host, port, false);
    }

    /**
     * Whether {@code host} is loopback: {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}.
     * Other names count as public: they are not resolved to find out.
     */
    public boolean loopbackOnly() {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        return h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
