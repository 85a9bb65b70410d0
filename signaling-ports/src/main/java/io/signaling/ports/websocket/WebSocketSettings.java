package io.signaling.ports.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The transport limits of the WebSocket endpoint, from configuration.
 *
 * @param path              where the endpoint is mounted, e.g. {@code /ws}
 * @param maxMessageBytes   the largest text message accepted; larger ones close with 1009
 * @param idleTimeout       no frame and no pong within it closes the connection
 * @param pingInterval      how often the server pings each connection
 * @param sendTimeout       a write that cannot complete within it closes the connection
 * @param sendQueueMessages the outbound queue's bound in messages
 * @param sendQueueBytes    the outbound queue's bound in bytes
 * @param maxConnections    upgrades beyond it get 503
 * @param allowedOrigins    {@code Origin} values allowed to upgrade; empty allows any
 * @param maxConnectionsPerAddress upgrades from one client address beyond it get 429; 0 means no
 *                          per-address limit
 * @param trustedProxies    addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}) of proxies
 *                          whose {@code X-Forwarded-For} names the client; empty trusts none
 */
public record WebSocketSettings(
        String path,
        int maxMessageBytes,
        Duration idleTimeout,
        Duration pingInterval,
        Duration sendTimeout,
        int sendQueueMessages,
        long sendQueueBytes,
        int maxConnections,
        List<String> allowedOrigins,
        int maxConnectionsPerAddress,
        List<String> trustedProxies) {

    public WebSocketSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        allowedOrigins = List.copyOf(allowedOrigins);
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** Settings without a per-address limit and without trusted proxies. */
    public WebSocketSettings(String path, int maxMessageBytes, Duration idleTimeout, Duration pingInterval,
                             Duration sendTimeout, int sendQueueMessages, long sendQueueBytes, int maxConnections,
                             List<String> allowedOrigins) {
        this(path, maxMessageBytes, idleTimeout, pingInterval, sendTimeout, sendQueueMessages, sendQueueBytes,
                maxConnections, allowedOrigins, 0, List.of());
    }

    /** The documented defaults. */
    public static WebSocketSettings defaults() {
        return new WebSocketSettings("/ws", 64 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(20),
                Duration.ofSeconds(10), 256, 1024 * 1024, 10_000, List.of());
    }
}
