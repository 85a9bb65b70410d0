package io.signaling.domain.lifecycle;

/**
 * The states a server node passes through, in this order only.
 *
 * <p>Readiness is {@link #READY} alone: a node that is starting cannot serve yet, and a node
 * that is draining must be taken out of the load balancer while it finishes what it has.
 */
public enum LifecycleState {
    STARTING,
    READY,
    DRAINING,
    STOPPED;

    /** Whether a node in this state should receive new traffic. */
    public boolean acceptsTraffic() {
        return this == READY;
    }

    /** Whether the lifecycle may move from this state to {@code next}; it only moves forward. */
    public boolean canMoveTo(LifecycleState next) {
        return next.ordinal() > ordinal();
    }
}
