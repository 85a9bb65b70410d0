package io.signaling.ports.health;

import io.signaling.domain.health.CheckResult;

import java.util.Set;

/**
 * A named check of one dependency or condition.
 *
 * <p>Direction: outbound, implemented by adapters (a Redis ping) or services (the lifecycle
 * state), called by the health service. Thread-safety: implementations must allow concurrent
 * calls. A check may block or throw; the health service bounds it with a timeout and turns a
 * throw or a timeout into DOWN, so checks need not defend against that themselves.
 */
public interface HealthCheck {

    /** Which probe a check takes part in. Liveness must never depend on an external dependency. */
    enum Probe {
        LIVENESS,
        READINESS
    }

    String name();

    CheckResult check() throws Exception;

    /** The probes this check counts for; readiness only by default. */
    default Set<Probe> probes() {
        return Set.of(Probe.READINESS);
    }
}
