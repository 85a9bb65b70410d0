package io.signaling.app.config;

import io.signaling.ports.websocket.WebSocketSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The WebSocket endpoint.
 *
 * @param path              {@code websocket.path}
 * @param maxMessageSize    {@code websocket.max-message-size} in bytes
 * @param idleTimeout       {@code websocket.idle-timeout}
 * @param pingInterval      {@code websocket.ping-interval}
 * @param sendTimeout       {@code websocket.send-timeout}
 * @param sendQueueMessages {@code websocket.send-queue-messages}
 * @param sendQueueBytes    {@code websocket.send-queue-bytes}
 * @param maxConnections    {@code websocket.max-connections}
 * @param allowedOrigins    {@code websocket.allowed-origins}; empty allows any origin
 * @param maxConnectionsPerIp {@code websocket.max-connections-per-ip}; 0 means no per-address limit
 */
public record WebSocketConfig(
        String path,
        int maxMessageSize,
        Duration idleTimeout,
        Duration pingInterval,
        Duration sendTimeout,
        int sendQueueMessages,
        long sendQueueBytes,
        int maxConnections,
        List<String> allowedOrigins,
        int maxConnectionsPerIp) {

    public WebSocketConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Without a per-address limit. */
    public WebSocketConfig(String path, int maxMessageSize, Duration idleTimeout, Duration pingInterval,
                           Duration sendTimeout, int sendQueueMessages, long sendQueueBytes, int maxConnections,
                           List<String> allowedOrigins) {
        this(path, maxMessageSize, idleTimeout, pingInterval, sendTimeout, sendQueueMessages, sendQueueBytes,
                maxConnections, allowedOrigins, 0);
    }

    /** The same limits as the WebSocket port's settings type, trusting no proxy. */
    public WebSocketSettings toSettings() {
        return toSettings(List.of());
    }

    /** The same limits as the WebSocket port's settings type; {@code server.trusted-proxies} given. */
    public WebSocketSettings toSettings(List<String> trustedProxies) {
        return new WebSocketSettings(path, maxMessageSize, idleTimeout, pingInterval, sendTimeout,
                sendQueueMessages, sendQueueBytes, maxConnections, allowedOrigins, maxConnectionsPerIp, trustedProxies);
    }
}
