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
 * @param messageSpanRatio  of the connections whose trace is sampled (decided at the handshake,
 *                          with the upgrade's HTTP span), the share whose messages get spans
 *                          ({@code websocket.message} and the listener's own), in [0, 1]; the
 *                          other connections' messages cost no span at all. 1 traces every
 *                          message of a sampled connection, 0 none
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
        List<String> trustedProxies,
        double messageSpanRatio) {

    public WebSocketSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        allowedOrigins = List.copyOf(allowedOrigins);
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** Settings that trace every message of a sampled connection. */
    public WebSocketSettings(String path, int maxMessageBytes, Duration idleTimeout, Duration pingInterval,
                             Duration sendTimeout, int sendQueueMessages, long sendQueueBytes, int maxConnections,
                             List<String> allowedOrigins, int maxConnectionsPerAddress, List<String> trustedProxies) {
        this(path, maxMessageBytes, idleTimeout, pingInterval, sendTimeout, sendQueueMessages, sendQueueBytes,
                maxConnections, allowedOrigins, maxConnectionsPerAddress, trustedProxies, 1.0);
    }

    /** These settings with another {@link #messageSpanRatio}. */
    public WebSocketSettings withMessageSpanRatio(double ratio) {
        return new WebSocketSettings(path, maxMessageBytes, idleTimeout, pingInterval, sendTimeout, sendQueueMessages,
                sendQueueBytes, maxConnections, allowedOrigins, maxConnectionsPerAddress, trustedProxies, ratio);
    }

    /** Settings without a per-address limit and without trusted proxies. */
    public WebSocketSettings(String path, int maxMessageBytes, Duration idleTimeout, Duration pingInterval,
                             Duration sendTimeout, int sendQueueMessages, long sendQueueBytes, int maxConnections,
                             List<String> allowedOrigins) {
        this(path, maxMessageBytes, idleTimeout, pingInterval, sendTimeout, sendQueueMessages, sendQueueBytes,
                maxConnections, allowedOrigins, 0, List.of(), 1.0);
    }

    /** The documented defaults. */
    public static WebSocketSettings defaults() {
        return new WebSocketSettings("/ws", 64 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(20),
                Duration.ofSeconds(10), 256, 1024 * 1024, 10_000, List.of());
    }
}
