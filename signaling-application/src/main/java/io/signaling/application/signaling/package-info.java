/**
 * The signaling use case: {@link io.signaling.application.signaling.SignalingService} turns
 * WebSocket events into signaling v1 (welcome, rooms, relay, rate limits, the shutdown drain),
 * with the in-memory room registry and the secure peer id generator it uses by default; v1.1
 * session resume ({@code Resumption}, {@code Replay}, {@code ResumeToken}) and, in a cluster, the
 * hand-over of a session to the node its client came back to ({@code HandOver}). Written
 * against the ports and the domain only.
 */
package io.signaling.application.signaling;
