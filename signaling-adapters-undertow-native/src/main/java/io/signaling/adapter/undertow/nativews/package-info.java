/**
 * The WebSocket adapter on undertow-core's native WebSocket API
 * ({@code WebSocketProtocolHandshakeHandler}, {@code WebSocketChannel}, {@code AbstractReceiveListener}):
 * no servlet deployment, no Jakarta session per connection, so fewer bytes per idle connection.
 * Admission, queueing, timers and telemetry are the shared ones of
 * {@code io.signaling.adapter.undertow.websocket}. Public entry:
 * {@link io.signaling.adapter.undertow.nativews.NativeWebSocketProvider}.
 */
package io.signaling.adapter.undertow.nativews;
