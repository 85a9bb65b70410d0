/**
 * Signaling as a part of another JVM service: {@link io.signaling.embedded.EmbeddedSignaling}
 * mounts the WebSocket endpoint, the health routes and optionally a metrics scrape into the host's
 * own Undertow server, on the host's own SLF4J backend, Micrometer registry and OpenTelemetry
 * instance (or none). It installs no globals, starts no listener and never exits the process;
 * the host's lifecycle drives {@code start} and {@code stop}.
 *
 * <p>This module is the composition root of signaling: it wires adapters (the one WebSocket
 * adapter lookup is {@link io.signaling.embedded.WebSocketProviders}), and owns the one lifecycle
 * and health service. {@code signaling-app}, the only module that may depend on it, is a thin
 * layer over it that adds configuration, the process's listeners and its telemetry backends.
 */
package io.signaling.embedded;
