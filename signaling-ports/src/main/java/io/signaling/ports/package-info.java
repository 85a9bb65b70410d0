/**
 * The ports of the application hexagon: the interfaces the core offers (inbound) and the ones it
 * needs from the outside world (outbound). Each sub-package owns one concern.
 *
 * <p>Nothing here imports a framework (Undertow, SLF4J, Micrometer, OpenTelemetry, Jackson) or
 * the application services in {@code io.signaling.application}; an ArchUnit rule checks it.
 * Telemetry ports offer {@code noop()} implementations so the core runs with no adapter at all.
 */
package io.signaling.ports;
