package io.signaling.application.health;

import io.signaling.domain.health.CheckResult;
import io.signaling.domain.health.HealthReport;
import io.signaling.ports.http.Json;

import java.util.Map;

/** Renders reports in the MicroProfile Health shape, with no JSON library. */
final class HealthJson {

    private HealthJson() {
    }

    /**
     * {@code {"status":"UP","checks":[{"name":..,"status":..,"data":{..}}]}}; {@code checks} is
     * left out when there are none and {@code omitEmptyChecks} is set (the plain liveness body).
     */
    static String render(HealthReport report, boolean omitEmptyChecks) {
        StringBuilder sb = new StringBuilder(64 + 64 * report.checks().size());
        sb.append("{\"status\":");
        Json.quote(sb, report.status().name());
        if (!(omitEmptyChecks && report.checks().isEmpty())) {
            sb.append(",\"checks\":[");
            boolean first = true;
            for (CheckResult check : report.checks()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                renderCheck(sb, check);
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    private static void renderCheck(StringBuilder sb, CheckResult check) {
        sb.append("{\"name\":");
        Json.quote(sb, check.name());
        sb.append(",\"status\":");
        Json.quote(sb, check.status().name());
        if (!check.data().isEmpty()) {
            sb.append(",\"data\":{");
            boolean first = true;
            for (Map.Entry<String, Object> e : check.data().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                Json.quote(sb, e.getKey());
                sb.append(':');
                value(sb, e.getValue());
            }
            sb.append('}');
        }
        sb.append('}');
    }

    /** Numbers and booleans as themselves, anything else as its string form. */
    static void value(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof java.math.BigInteger) {
            sb.append(value);
        } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            sb.append(value instanceof java.math.BigDecimal bd ? bd.toPlainString() : String.valueOf(n.doubleValue()));
        } else {
            // NaN and infinities are not JSON numbers, so they are strings like any other value.
            Json.quote(sb, String.valueOf(value));
        }
    }
}
