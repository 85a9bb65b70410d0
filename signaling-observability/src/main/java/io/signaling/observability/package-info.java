/**
 * Logging, metrics and tracing adapters on the telemetry APIs only (slf4j-api, micrometer-core,
 * opentelemetry-api). Back-ends (Logback, a registry, the SDK) are the embedding application's
 * choice and never come from here.
 */
package io.signaling.observability;
