package io.signaling.domain.health;

/** The status of a health check or of an aggregate, in the MicroProfile Health vocabulary. */
public enum HealthStatus {
    UP,
    DOWN;

    /** The aggregate of two statuses: DOWN wins. */
    public HealthStatus and(HealthStatus other) {
        return this == DOWN || other == DOWN ? DOWN : UP;
    }
}
