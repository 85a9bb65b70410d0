/**
 * The load tool ({@code signaling-load.jar}): hold, relay, echo and http modes against a signaling
 * deployment. Hold and relay run on the JDK {@code java.net.http} WebSocket client with one shared
 * client and executor, so a single process holds 10,000 sockets on two cores; the closed-loop
 * modes (echo, http) use lean blocking clients ({@code BlockingWebSocket}, {@code Http1Connection})
 * so that what gets measured is the server, not the client. Only
 * {@link io.signaling.benchmarks.load.LoadTool} is public.
 */
package io.signaling.benchmarks.load;
