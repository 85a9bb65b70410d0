/**
 * Operator endpoints for the admin listener: {@code /debug/runtime} (JVM and node facts as JSON)
 * and {@code /debug/threads} (a full text thread dump). Never to be served on the public port.
 */
package io.signaling.application.debug;
