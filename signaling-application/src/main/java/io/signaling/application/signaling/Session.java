package io.signaling.application.signaling;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.TokenBucket;
import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.log.Logger;
import io.signaling.ports.signaling.TaskScheduler;
import io.signaling.ports.websocket.WebSocketConnection;

/**
 * The signaling state of one connection, attached to it. Guarded by its own monitor: the adapter
 * serializes a connection's callbacks, and the drain task takes the same monitor so that it never
 * interleaves with them.
 */
final class Session {

    final PeerId peerId;
    final WebSocketConnection connection;
    final TokenBucket bucket;
    Logger log;
    /** When the last {@code rate-limited} error went out; valid only when {@link #rateLimitErrorSent}. */
    long lastRateLimitErrorNanos;
    boolean rateLimitErrorSent;
    boolean closed;
    boolean drained;
    TaskScheduler.Cancellable drainTask;
    /** What the access token granted; {@code null} without authentication. */
    final AccessGrant grant;
    /** Whether the connection negotiated {@code signaling.v1.1}. */
    final boolean v11;
    /** The pending {@code ice-servers} refresh (v1.1 only). */
    TaskScheduler.Cancellable iceRefresh;

    Session(PeerId peerId, WebSocketConnection connection, TokenBucket bucket, Logger log) {
        this.peerId = peerId;
        this.grant = connection.grant().orElse(null);
        this.v11 = SignalingService.SUBPROTOCOL_V11.equals(connection.subprotocol());
        this.connection = connection;
        this.bucket = bucket;
        this.log = log;
    }

    /** The token's subject, or {@code null} without authentication. */
    String identity() {
        return grant == null ? null : grant.identity();
    }
}
