/**
 * The launcher: reads configuration, chooses and sets up the telemetry back-ends (Logback, the
 * Prometheus registry, the OpenTelemetry SDK), wires adapters to the core by hand, starts, waits
 * and shuts down gracefully. The only module that may touch every other module.
 */
package io.signaling.app;
