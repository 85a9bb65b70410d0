package io.signaling.domain.health;

import java.util.List;
import java.util.Objects;

/**
 * An aggregate of check results: UP only when every check is UP (an empty report is UP).
 *
 * @param status the aggregate status
 * @param checks every result, in the order the checks were registered
 */
public record HealthReport(HealthStatus status, List<CheckResult> checks) {

    public HealthReport {
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
    }

    /** Aggregates results: DOWN as soon as one result is DOWN. */
    public static HealthReport of(List<CheckResult> checks) {
        HealthStatus status = HealthStatus.UP;
        for (CheckResult c : checks) {
            status = status.and(c.status());
        }
        return new HealthReport(status, checks);
    }

    public boolean isUp() {
        return status == HealthStatus.UP;
    }
}
