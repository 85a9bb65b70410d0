/**
 * The model and the pure rules of the signaling server: lifecycle states, the health model,
 * domain errors and, in sub-packages, peers, rooms and signaling messages.
 *
 * <p>This module owns no I/O, no threads and no framework types; it depends on the JDK only,
 * which an ArchUnit rule and the enforcer plugin both check.
 */
package io.signaling.domain;
