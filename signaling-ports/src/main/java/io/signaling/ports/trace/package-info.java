/** The tracing port: tracer, span builder, span, scope and an opaque context, with a no-op. */
package io.signaling.ports.trace;
