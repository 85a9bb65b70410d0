package io.signaling.ports.health;

import io.signaling.domain.health.HealthReport;

/**
 * What the application offers to probes: liveness and readiness as aggregated reports.
 *
 * <p>Direction: inbound, implemented by the health service, called by the HTTP adapter's health
 * routes and by embedding hosts. Thread-safety: safe for concurrent probes; never blocks longer
 * than the configured check timeout.
 */
public interface HealthQuery {

    HealthReport liveness();

    HealthReport readiness();

    /**
     * Whether {@link #liveness()} may wait on a check (so a caller must not run it on an I/O
     * thread). Conservatively {@code true} unless the implementation knows better.
     */
    default boolean livenessMayBlock() {
        return true;
    }
}
