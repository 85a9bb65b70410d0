package io.signaling.app.config;

/**
 * Metrics.
 *
 * @param enabled {@code metrics.enabled}: whether {@code /metrics} is served on the admin port
 */
public record MetricsConfig(boolean enabled) {
}
