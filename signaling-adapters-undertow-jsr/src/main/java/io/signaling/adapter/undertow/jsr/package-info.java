/**
 * The WebSocket adapter on undertow-websockets-jsr (Jakarta WebSocket): a programmatic endpoint in
 * a servlet deployment mounted on the WebSocket path only, behind the shared admission, queueing,
 * timers and telemetry of {@code io.signaling.adapter.undertow.websocket}. Public entry:
 * {@link io.signaling.adapter.undertow.jsr.JsrWebSocketProvider}.
 */
package io.signaling.adapter.undertow.jsr;
