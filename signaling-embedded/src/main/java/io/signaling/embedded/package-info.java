/**
 * Signaling as a part of another JVM service: {@link io.signaling.embedded.EmbeddedSignaling}
 * mounts the WebSocket endpoint, the health routes and optionally a metrics scrape into the host's
 * own Undertow server, on the host's own SLF4J backend, Micrometer registry and OpenTelemetry
 * instance (or none). It installs no globals, starts no listener and never exits the process;
 * the host's lifecycle drives {@code start} and {@code stop}.
 *
 * <p>Like {@code signaling-app}, this module is a composition root: it may wire adapters, and no
 * other module may depend on it.
 */
package io.signaling.embedded;
