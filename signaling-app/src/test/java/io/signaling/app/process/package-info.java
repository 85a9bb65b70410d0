/**
 * Process-level tests of the shipped artefact: the shaded jar (and the image's entrypoint command)
 * started as a child process, driven over real HTTP and WebSockets on 127.0.0.1 and stopped with
 * real signals. Failsafe {@code *IT} classes: they need the jar that {@code package} builds.
 */
package io.signaling.app.process;
