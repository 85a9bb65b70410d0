/**
 * Signaling ports: what the signaling use case needs from the outside (a message codec, a room
 * registry, peer ids, a scheduler) and its settings. The application service in
 * {@code io.signaling.application.signaling} is written against them only.
 */
package io.signaling.ports.signaling;
