/**
 * Integration tests of signaling protocol v1 ({@code signaling-v1.md}) against a whole
 * {@link io.signaling.app.SignalingNode} on a free loopback port, driven by real WebSocket clients
 * (the JDK's {@link java.net.http.WebSocket}, and a raw socket client where a real client hides
 * what must be tested): the contract row by row, the limits with small configured values,
 * disconnects, the idle timeout, the shutdown drain and a load-style run.
 */
package io.signaling.app.signaling;
