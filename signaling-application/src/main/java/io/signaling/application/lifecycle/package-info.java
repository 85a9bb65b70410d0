/**
 * The lifecycle of a server node: the forward-only state machine (starting, ready, draining,
 * stopped) and the ordered start and deadline-bounded reverse stop of its components.
 */
package io.signaling.application.lifecycle;
