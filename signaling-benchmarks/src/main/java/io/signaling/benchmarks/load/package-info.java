/**
 * The load tool ({@code signaling-load.jar}): hold, relay, echo and http modes against a signaling
 * deployment. Hold and relay run on the JDK {@code java.net.http} WebSocket client with one shared
 * client and executor, so a single process holds 10,000 sockets on two cores; the closed-loop
 * modes (echo, http) use lean blocking clients ({@code BlockingWebSocket}, {@code Http1Connection})
 * so that what gets measured is the server, not the client. With {@code --protocol v1.1} (hold,
 * relay) a {@code WsSession} outlives its socket: it numbers its messages, checks the server's
 * {@code seq}, and resumes after a drop or a drain ({@code ResumeStats} reports it). Only
 * {@link io.signaling.benchmarks.load.LoadTool} is public.
 */
package io.signaling.benchmarks.load;
