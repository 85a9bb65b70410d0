package io.signaling.app.telemetry;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How spans are sampled, described and exported. Immutable; validated on construction.
 *
 * @param exporter       where finished spans go; {@link Exporter#NONE} keeps tracing (ids,
 *                       propagation, log correlation) but exports nothing
 * @param samplingRatio  fraction of new root traces to sample, in [0, 1]; a request that arrives
 *                       with a parent follows its parent's decision
 * @param serviceName    resource {@code service.name}
 * @param serviceVersion resource {@code service.version}
 * @param instanceId     resource {@code service.instance.id}
 * @param otelEnv        the standard {@code OTEL_*} variables (usually {@code System.getenv()}):
 *                       only the OTLP exporter, batch processor and resource attribute ones are
 *                       read, see {@link OtelSdkSetup}
 */
public record TracingSettings(
        Exporter exporter,
        double samplingRatio,
        String serviceName,
        String serviceVersion,
        String instanceId,
        Map<String, String> otelEnv) {

    /** Span exporter choice. */
    public enum Exporter {
        /** No export (the default when nothing is configured). */
        NONE,
        /** OTLP over http/protobuf to {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
        OTLP,
        /** Each span logged through java.util.logging (hence SLF4J), for local debugging. */
        LOGGING;

        /**
         * Parses {@code none}, {@code otlp} or {@code logging}, case-insensitively.
         *
         * @throws IllegalArgumentException naming the accepted values otherwise
         */
        public static Exporter parse(String value) {
            Objects.requireNonNull(value, "value");
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "none":
                    return NONE;
                case "otlp":
                    return OTLP;
                case "logging":
                    return LOGGING;
                default:
                    throw new IllegalArgumentException(
                            "tracing exporter: unknown value '" + value + "' (expected none, otlp or logging)");
            }
        }
    }

    public TracingSettings {
        Objects.requireNonNull(exporter, "exporter");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(serviceVersion, "serviceVersion");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(otelEnv, "otelEnv");
        if (!(samplingRatio >= 0.0 && samplingRatio <= 1.0)) {
            throw new IllegalArgumentException(
                    "tracing sampling ratio: " + samplingRatio + " is not in [0, 1]");
        }
        if (serviceName.isBlank()) {
            throw new IllegalArgumentException("tracing service name must not be blank");
        }
        otelEnv = Map.copyOf(otelEnv);
    }
}
