package io.signaling.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Health probing.
 *
 * @param checkTimeout {@code health.check-timeout}: a check slower than this counts as DOWN
 * @param cacheTtl     {@code health.cache-ttl}: how long check results are reused
 */
public record HealthConfig(Duration checkTimeout, Duration cacheTtl) {

    public HealthConfig {
        Objects.requireNonNull(checkTimeout, "checkTimeout");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
    }
}
