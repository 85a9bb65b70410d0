package io.signaling.ports.lifecycle;

import java.time.Duration;

/**
 * A component the application starts and stops: listeners, schedulers, telemetry exporters.
 *
 * <p>Direction: outbound, implemented by adapters and services, called by the lifecycle manager
 * of the application, which starts components in registration order and stops them in reverse.
 * Thread-safety: {@code start} and {@code stop} are called from one thread, once each, never
 * concurrently; {@code stop} may be called on a component whose {@code start} did not finish.
 */
public interface Lifecycle {

    /** A short name for logs: which component started, which one did not stop in time. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Starts the component; throws to abort the application's start. */
    void start() throws Exception;

    /**
     * Stops the component, finishing in-flight work within {@code timeout} where it can.
     *
     * @param timeout what remains of the shutdown deadline for this component
     * @return {@code true} when it stopped cleanly in time, {@code false} when work was cut short
     */
    boolean stop(Duration timeout) throws Exception;
}
