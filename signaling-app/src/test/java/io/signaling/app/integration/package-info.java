/**
 * In-process integration tests of a whole {@link io.signaling.app.SignalingNode}: real Undertow
 * listeners on free ports, the launcher's Logback chain into memory, a real Prometheus registry, a
 * real OpenTelemetry SDK with an in-memory exporter, and the JDK HTTP and WebSocket clients.
 * They follow requests across HTTP, health, drain, logs, metrics and traces (issues 2 and 3).
 */
package io.signaling.app.integration;
