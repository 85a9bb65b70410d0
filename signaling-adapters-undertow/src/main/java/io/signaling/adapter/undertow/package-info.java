/**
 * The HTTP server and router adapters on plain undertow-core handlers, and the WebSocket SPI
 * ({@link io.signaling.adapter.undertow.UndertowWebSocketProvider},
 * {@link io.signaling.adapter.undertow.WebSocketEndpoint}) that the WebSocket adapter modules
 * implement: {@code signaling-adapters-undertow-jsr} (Jakarta WebSocket, the default) and
 * {@code signaling-adapters-undertow-native} (undertow-core's own WebSocket API).
 */
package io.signaling.adapter.undertow;
