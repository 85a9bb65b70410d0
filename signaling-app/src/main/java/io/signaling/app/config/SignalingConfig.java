package io.signaling.app.config;

import io.signaling.ports.websocket.WebSocketSettings;
import java.util.Objects;

/**
 * The whole, validated configuration of one server process. Immutable; obtain it from
 * {@link ConfigLoader}, which guarantees every value passed validation. Constructing it directly
 * (e.g. in an embedding service's tests) checks only for nulls.
 *
 * <p>Each component is one section of {@link Keys}, named as the section in camel case, and its
 * record's components are that section's keys.
 */
public record SignalingConfig(
        ServiceConfig service,
        ServerConfig server,
        AdminConfig admin,
        ShutdownConfig shutdown,
        HealthConfig health,
        LoggingConfig logging,
        MetricsConfig metrics,
        TracingConfig tracing,
        WebSocketSettings websocket,
        RoomsConfig rooms,
        RateLimitConfig rateLimit,
        SessionConfig session,
        RedisConfig redis,
        AuthConfig auth,
        TurnConfig turn) {

    public SignalingConfig {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(websocket, "websocket");
        Objects.requireNonNull(rooms, "rooms");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(turn, "turn");
    }
}
