/**
 * SPI support for the Undertow WebSocket adapter modules ({@code signaling-adapters-undertow-jsr},
 * {@code signaling-adapters-undertow-native}), not an API for applications: admission (origin,
 * capacity and draining checks with problem+json answers), connection ids, the bounded send queue
 * with one write in flight, ping and idle timers, serial listener events, telemetry meters, spans
 * and log context, and the drain. Each flavour only adapts its Undertow API to
 * {@link io.signaling.adapter.undertow.websocket.ManagedConnection}'s transport hooks, so both
 * behave, and report, identically. Applications use
 * {@link io.signaling.adapter.undertow.UndertowWebSocketProvider} and
 * {@link io.signaling.adapter.undertow.WebSocketEndpoint} instead.
 */
package io.signaling.adapter.undertow.websocket;
