/**
 * Application services: the use cases of the signaling server, written only against the ports
 * in {@code io.signaling.ports} and the domain, so that every adapter (Undertow, SLF4J,
 * Micrometer, OpenTelemetry) can be swapped without touching them. Nothing here imports a
 * framework; an ArchUnit rule checks it.
 */
package io.signaling.application;
