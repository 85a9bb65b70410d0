/**
 * Shared test fakes of the ports, published in the test-jar: a recording logger, metrics and
 * tracer, an in-memory HTTP exchange and router, and a manual clock. They record what the code
 * under test did so that tests assert on it; they are thread-safe where the port is.
 */
package io.signaling.ports.testing;
