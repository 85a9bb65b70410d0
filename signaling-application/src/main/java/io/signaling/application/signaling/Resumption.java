package io.signaling.application.signaling;

import io.signaling.domain.signaling.LeaveReason;
import io.signaling.domain.signaling.PeerId;
import io.signaling.ports.signaling.TaskScheduler;
import java.security.SecureRandom;

/**
 * (v1.1) The life of one session across its connections: {@code CONNECTED → SUSPENDED} when the
 * connection is lost abnormally (or drained), {@code SUSPENDED → CONNECTED} on a resume (and
 * {@code CONNECTED → CONNECTED} when a resume replaces a half-open socket), {@code → ENDED} on a
 * normal close, a failed resume with the current token, overflow or the window's end. Holds the
 * current resume token (single use: {@link #rotate} on every resume attempt that presented it),
 * the highest client {@code seq} processed, and the session's {@link Replay}.
 *
 * <p>Thread-safety: guarded by the session's monitor (every method must be called holding it),
 * except {@link #replay}, which has its own lock.
 */
final class Resumption {

    enum Phase { CONNECTED, SUSPENDED, ENDED }

    final Replay replay;
    private ResumeToken token;
    private Phase phase = Phase.CONNECTED;
    private long lastClientSeq;
    private long suspendedAtNanos;
    private LeaveReason suspendReason;
    private TaskScheduler.Cancellable expiry;

    Resumption(Replay replay, ResumeToken token) {
        this.replay = replay;
        this.token = token;
    }

    Phase phase() {
        return phase;
    }

    /** The current token; {@code null} when resume is off. */
    ResumeToken token() {
        return token;
    }

    /** Whether {@code presented} is the current token of a session that has not ended. */
    boolean accepts(ResumeToken presented) {
        return phase != Phase.ENDED && token != null && token.matches(presented);
    }

    /** Replaces the token: the previous one never works again. */
    ResumeToken rotate(PeerId peer, SecureRandom random) {
        token = ResumeToken.issue(peer, token == null ? null : token.node(), random);
        return token;
    }

    /** Replaces the token with one naming {@code node} (a session that moved here from another node). */
    ResumeToken rotate(PeerId peer, String node, SecureRandom random) {
        token = ResumeToken.issue(peer, node, random);
        return token;
    }

    /** A session handed over by another node carries on with its client sequence numbers. */
    void continueClientSeq(long processed) {
        lastClientSeq = Math.max(lastClientSeq, processed);
    }

    /** How long it has been suspended, or -1 when connected (for a hand-over's resume latency). */
    long suspendedFor(long nowNanos) {
        return phase == Phase.SUSPENDED ? Math.max(0, nowNanos - suspendedAtNanos) : -1;
    }

    /**
     * Whether a client message numbered {@code seq} is new: processed at most once, so a number not
     * above the last processed one is refused (and the caller drops the message).
     */
    boolean admitClientSeq(long seq) {
        if (seq <= lastClientSeq) {
            return false;
        }
        lastClientSeq = seq;
        return true;
    }

    long lastClientSeq() {
        return lastClientSeq;
    }

    /** The connection was lost: keep the session for the window (the caller scheduled {@code expiry}). */
    void suspend(long nowNanos, LeaveReason reason, TaskScheduler.Cancellable expiry) {
        if (phase != Phase.CONNECTED) {
            throw new IllegalStateException("suspend from " + phase);
        }
        phase = Phase.SUSPENDED;
        suspendedAtNanos = nowNanos;
        suspendReason = reason;
        this.expiry = expiry;
        replay.suspend();
    }

    /** Why room-mates will hear it left if it does not come back: the reason of the loss. */
    LeaveReason suspendReason() {
        return suspendReason;
    }

    /**
     * The client is back (the caller moved the replay to the new connection).
     *
     * @return the nanoseconds it was suspended, or -1 when it was not (a half-open socket replaced)
     */
    long resumed(long nowNanos) {
        if (phase == Phase.ENDED) {
            throw new IllegalStateException("resume of an ended session");
        }
        long took = phase == Phase.SUSPENDED ? Math.max(0, nowNanos - suspendedAtNanos) : -1;
        cancelExpiry();
        phase = Phase.CONNECTED;
        return took;
    }

    void end() {
        phase = Phase.ENDED;
        cancelExpiry();
    }

    private void cancelExpiry() {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
    }
}
