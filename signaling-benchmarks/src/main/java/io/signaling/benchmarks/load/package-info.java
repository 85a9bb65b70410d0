/**
 * The load tool ({@code signaling-load.jar}): hold, relay, echo and http modes against a signaling
 * deployment, built on the JDK {@code java.net.http} client with one shared client and executor so
 * a single process holds 10,000 WebSockets on two cores. Only {@link io.signaling.benchmarks.load.LoadTool}
 * is public; the modes, session wrapper and accounting are package-private.
 */
package io.signaling.benchmarks.load;
