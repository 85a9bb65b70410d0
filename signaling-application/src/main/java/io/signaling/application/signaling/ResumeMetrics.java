package io.signaling.application.signaling;

import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * (v1.1) The metrics of session resume: sessions suspended, resumed (on this node or moved from
 * another), expired, ended by a buffer overflow, resumes refused by check, messages replayed, and
 * the time from suspension to resume. Instruments are made once; thread-safe.
 */
final class ResumeMetrics {

    private final Metrics metrics;
    private final Metrics.Counter suspended;
    private final Metrics.Counter resumedHere;
    private final Metrics.Counter resumedMoved;
    private final Metrics.Counter expired;
    private final Metrics.Counter overflows;
    private final Metrics.Counter replayed;
    private final Metrics.Timer latency;
    private final Map<String, Metrics.Counter> failures = new ConcurrentHashMap<>();

    ResumeMetrics(Metrics metrics) {
        this.metrics = metrics;
        this.suspended = metrics.counter("signaling.sessions.suspended",
                "v1.1 sessions suspended (connection lost abnormally, or drained)", Tags.empty());
        String resumedHelp = "v1.1 sessions resumed, by where the session was before (same node, or another node)";
        this.resumedHere = metrics.counter("signaling.sessions.resumed", resumedHelp, Tags.of("node", "same"));
        this.resumedMoved = metrics.counter("signaling.sessions.resumed", resumedHelp, Tags.of("node", "other"));
        this.expired = metrics.counter("signaling.sessions.expired",
                "Suspended sessions ended because the resume window ran out (or the node stopped)", Tags.empty());
        this.overflows = metrics.counter("signaling.sessions.buffer.overflows",
                "Suspended sessions ended because more arrived for them than the resume buffer holds", Tags.empty());
        this.replayed = metrics.counter("signaling.sessions.replayed",
                "Messages sent again to a resumed session (seq above the client's lastSeq)", Tags.empty());
        this.latency = metrics.timer("signaling.sessions.resume.latency",
                "Time from a session's suspension to its resume", Tags.empty());
    }

    void suspended() {
        suspended.increment();
    }

    /**
     * @param suspendedNanos how long it was suspended; negative when it was not (a half-open socket replaced)
     */
    void resumed(boolean moved, int replayedMessages, long suspendedNanos) {
        (moved ? resumedMoved : resumedHere).increment();
        replayed.increment(replayedMessages);
        if (suspendedNanos >= 0) {
            latency.recordNanos(suspendedNanos);
        }
    }

    void expired() {
        expired.increment();
    }

    void overflowed() {
        overflows.increment();
    }

    /** A resume refused; {@code check}: unknown (also used or forged), identity, sequence, overflow. */
    void failed(String check) {
        failures.computeIfAbsent(check, c -> metrics.counter("signaling.sessions.resume.failures",
                "Resume attempts refused (the client got a new session), by the check that failed",
                Tags.of("check", c))).increment();
    }
}
