/**
 * Logging, metrics and tracing adapters on the telemetry APIs only (slf4j-api, micrometer-core,
 * opentelemetry-api). Back-ends (Logback, a registry, the SDK) are the embedding application's
 * choice and never come from here.
 *
 * <p>{@link io.signaling.observability.Observability} is the only public type; the adapters
 * ({@code Slf4jLogger}, {@code MicrometerMetrics}, {@code OtelTracer}, ...) are package-private.
 */
package io.signaling.observability;
