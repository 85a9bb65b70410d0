package io.signaling.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Graceful shutdown timing.
 *
 * @param readinessDelay {@code shutdown.readiness-delay}: how long readiness reports 503 before
 *                       the listener stops accepting, so load balancers stop routing first
 * @param drainTimeout   {@code shutdown.drain-timeout}: the deadline for in-flight work
 * @param retryAfter     {@code shutdown.retry-after}: the {@code Retry-After} of readiness while
 *                       draining
 */
public record ShutdownConfig(Duration readinessDelay, Duration drainTimeout, Duration retryAfter) {

    public ShutdownConfig {
        Objects.requireNonNull(readinessDelay, "readinessDelay");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }
}
