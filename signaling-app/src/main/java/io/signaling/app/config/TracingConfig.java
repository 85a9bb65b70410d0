package io.signaling.app.config;

import java.util.Objects;

/**
 * Tracing.
 *
 * @param exporter      {@code tracing.exporter}
 * @param samplingRatio {@code tracing.sampling-ratio}, in [0, 1]
 */
public record TracingConfig(TracingExporter exporter, double samplingRatio) {

    public TracingConfig {
        Objects.requireNonNull(exporter, "exporter");
    }
}
