package io.signaling.app.config;

/**
 * Per-connection message rate limit (token bucket).
 *
 * @param messagesPerSecond {@code rate-limit.messages-per-second}: refill rate, may be fractional
 * @param burst             {@code rate-limit.burst}: bucket capacity
 */
public record RateLimitConfig(double messagesPerSecond, int burst) {
}
