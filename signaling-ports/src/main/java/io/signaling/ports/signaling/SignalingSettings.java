package io.signaling.ports.signaling;

import io.signaling.domain.signaling.ServerMessage;
import io.signaling.domain.signaling.SignalingRules;
import io.signaling.ports.websocket.WebSocketSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits of signaling, from configuration; {@code welcome} reports them.
 *
 * @param maxPeersPerRoom   {@code rooms.max-peers}
 * @param messagesPerSecond {@code rate-limit.messages-per-second}, the token bucket's refill rate
 * @param burst             {@code rate-limit.burst}, the token bucket's size
 * @param maxMessageBytes   the WebSocket frame limit (larger frames close with 1009)
 * @param pingInterval      how often the transport pings
 * @param idleTimeout       no frame and no pong within it closes the connection
 * @param drainTimeout      {@code shutdown.drain-timeout}: every socket is closed within it
 */
public record SignalingSettings(
        int maxPeersPerRoom,
        double messagesPerSecond,
        int burst,
        int maxMessageBytes,
        Duration pingInterval,
        Duration idleTimeout,
        Duration drainTimeout) {

    public SignalingSettings {
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        require(maxPeersPerRoom >= SignalingRules.MIN_PEERS_PER_ROOM,
                "maxPeersPerRoom must be >= " + SignalingRules.MIN_PEERS_PER_ROOM + ", got " + maxPeersPerRoom);
        require(messagesPerSecond > 0 && !Double.isInfinite(messagesPerSecond),
                "messagesPerSecond must be a positive finite number, got " + messagesPerSecond);
        require(burst >= 1, "burst must be >= 1, got " + burst);
        require(maxMessageBytes >= 1, "maxMessageBytes must be >= 1, got " + maxMessageBytes);
        require(!pingInterval.isNegative(), "pingInterval must not be negative, got " + pingInterval);
        require(!idleTimeout.isNegative(), "idleTimeout must not be negative, got " + idleTimeout);
        require(!drainTimeout.isNegative(), "drainTimeout must not be negative, got " + drainTimeout);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The contract's defaults: 16 peers, 50 messages/s with a burst of 100, 64 KiB, 20 s / 60 s, 30 s drain. */
    public static SignalingSettings defaults() {
        return of(WebSocketSettings.defaults(), 16, 50, 100, Duration.ofSeconds(30));
    }

    /** Signaling limits on top of the transport's (frame size, ping interval, idle timeout). */
    public static SignalingSettings of(WebSocketSettings transport, int maxPeersPerRoom, double messagesPerSecond,
                                       int burst, Duration drainTimeout) {
        return new SignalingSettings(maxPeersPerRoom, messagesPerSecond, burst, transport.maxMessageBytes(),
                transport.pingInterval(), transport.idleTimeout(), drainTimeout);
    }

    /** The limits as {@code welcome} reports them. */
    public ServerMessage.Limits limits() {
        return new ServerMessage.Limits(maxMessageBytes, maxPeersPerRoom, messagesPerSecond, burst,
                pingInterval.toMillis(), idleTimeout.toMillis());
    }
}
