package io.signaling.domain.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one named health check.
 *
 * @param name   the check's name, as shown in the readiness body
 * @param status UP or DOWN
 * @param data   details for an operator (string, number or boolean values); insertion order kept
 */
public record CheckResult(String name, HealthStatus status, Map<String, Object> data) {

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        data = data == null || data.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static CheckResult up(String name) {
        return new CheckResult(name, HealthStatus.UP, Map.of());
    }

    public static CheckResult up(String name, Map<String, Object> data) {
        return new CheckResult(name, HealthStatus.UP, data);
    }

    public static CheckResult down(String name, Map<String, Object> data) {
        return new CheckResult(name, HealthStatus.DOWN, data);
    }

    public static CheckResult down(String name, String reason) {
        return new CheckResult(name, HealthStatus.DOWN, Map.of("reason", reason == null ? "unknown" : reason));
    }

    public boolean isUp() {
        return status == HealthStatus.UP;
    }
}
