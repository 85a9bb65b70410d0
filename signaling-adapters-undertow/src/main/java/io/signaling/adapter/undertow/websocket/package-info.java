/**
 * SPI support for the Undertow WebSocket adapter modules ({@code signaling-adapters-undertow-jsr},
 * {@code signaling-adapters-undertow-native}), not an API for applications. A flavour extends
 * {@link io.signaling.adapter.undertow.websocket.ManagedEndpoint} (front handler, hub, start, drain)
 * and implements {@link io.signaling.adapter.undertow.websocket.Transport} (send, close, ping,
 * abort on its Undertow API); everything else is shared, so both behave, and report, identically:
 * admission (origin, capacity and draining checks with problem+json answers) and connection ids in
 * {@link io.signaling.adapter.undertow.websocket.EndpointSupport}; one connection is a
 * {@link io.signaling.adapter.undertow.websocket.ManagedConnection} wiring parts that each own one
 * rule and its lock: {@code OutboundQueue} (bounded, one write in flight, flush before close),
 * {@code CloseHandshake} (first cause wins, reported once), {@code TextAssembler} (size limit
 * across parts), {@code ListenerEvents}/{@code SerialEvents} (the listener's events one at a time,
 * {@code onClose} last and as its own I/O-thread task) and {@code ConnectionTimers} (ping, idle,
 * send timeout). Applications use {@link io.signaling.adapter.undertow.UndertowWebSocketProvider}
 * and {@link io.signaling.adapter.undertow.WebSocketEndpoint} instead.
 */
package io.signaling.adapter.undertow.websocket;
