package io.signaling.application.signaling;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.TokenBucket;
import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.log.Logger;
import io.signaling.ports.signaling.TaskScheduler;
import io.signaling.ports.websocket.WebSocketConnection;

/**
 * The signaling state of one peer, attached to its connection. Guarded by its own monitor: the
 * adapter serializes a connection's callbacks, and the drain task takes the same monitor so that
 * it never interleaves with them. A v1.1 session outlives its connection when it is suspended and
 * resumed ({@link #resumption}); a resume attaches it to the new connection.
 */
final class Session {

    final PeerId peerId;
    /** The current connection; replaced by a resume (written under the monitor, read anywhere). */
    volatile WebSocketConnection connection;
    final TokenBucket bucket;
    Logger log;
    /** When the last {@code rate-limited} error went out; valid only when {@link #rateLimitErrorSent}. */
    long lastRateLimitErrorNanos;
    boolean rateLimitErrorSent;
    /** The session has ended (its room-mates were told, it left the table). */
    boolean closed;
    boolean drained;
    TaskScheduler.Cancellable drainTask;
    /** What the access token granted; {@code null} without authentication. Renewed by a resume. */
    volatile AccessGrant grant;
    /** Whether the connection negotiated {@code signaling.v1.1}. */
    final boolean v11;
    /** The pending {@code ice-servers} refresh (v1.1 only). */
    TaskScheduler.Cancellable iceRefresh;
    /** (v1.1) Sequence numbers, replay and suspension; {@code null} on a v1 connection. */
    Resumption resumption;

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
        AccessGrant g = grant;
        return g == null ? null : g.identity();
    }

    /** Whether the session is waiting for its client to resume. */
    boolean suspended() {
        return resumption != null && resumption.phase() == Resumption.Phase.SUSPENDED;
    }
}
