/**
 * The telemetry back-ends chosen by the launcher: Logback behind SLF4J ({@link
 * io.signaling.app.telemetry.LogbackSetup}), the Micrometer Prometheus registry with JVM and
 * process metrics ({@link io.signaling.app.telemetry.PrometheusSetup}, {@link
 * io.signaling.app.telemetry.PrometheusScrape}) and the OpenTelemetry SDK with its exporters
 * ({@link io.signaling.app.telemetry.OtelSdkSetup}).
 *
 * <p>The adapter modules only ever see the APIs (slf4j-api, micrometer-core, opentelemetry-api);
 * this package is the one place that picks and configures the implementations, so a service
 * embedding the adapters keeps its own. Each back-end is configured from a small immutable
 * settings record ({@link io.signaling.app.telemetry.LoggingSettings}, {@link
 * io.signaling.app.telemetry.MetricsSettings}, {@link io.signaling.app.telemetry.TracingSettings})
 * that validates itself, so a bad value fails at start-up with a precise message rather than at
 * the first request. Nothing here registers a global (no {@code GlobalOpenTelemetry}, no
 * {@code Metrics.globalRegistry}); the only process-wide state touched is the one SLF4J, JUL and
 * JBoss Logging already own.
 */
package io.signaling.app.telemetry;
