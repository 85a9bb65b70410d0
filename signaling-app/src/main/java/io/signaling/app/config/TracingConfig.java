package io.signaling.app.config;

import java.util.Objects;

/**
 * Tracing.
 *
 * @param exporter      {@code tracing.exporter}
 * @param samplingRatio    {@code tracing.sampling-ratio}, in [0, 1]
 * @param healthProbeSpans {@code tracing.health-probe-spans}: whether the health probes get server spans
 */
public record TracingConfig(TracingExporter exporter, double samplingRatio, boolean healthProbeSpans) {

    public TracingConfig {
        Objects.requireNonNull(exporter, "exporter");
    }
}
