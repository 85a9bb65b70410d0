package io.signaling.application.lifecycle;

import io.signaling.domain.lifecycle.LifecycleState;

/**
 * Told of every lifecycle transition, in order.
 *
 * <p>Direction: inbound to whoever registers it (readiness gates, log lines, metrics). Called on
 * the thread that made the transition while the transition is held, so that listeners see
 * transitions in order even when a signal thread and the main thread race: keep it quick and
 * never block or call back into a blocking method of the manager. A throw is logged and ignored.
 */
@FunctionalInterface
public interface LifecycleListener {

    void onTransition(LifecycleState from, LifecycleState to);
}
