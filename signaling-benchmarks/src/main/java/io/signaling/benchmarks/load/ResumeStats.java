package io.signaling.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What v1.1 sessions of one run lived through ({@code --protocol v1.1}): drops, resumes and their
 * latency, what the server replayed and the client sent again, and the checks on the server's
 * sequence numbers (a duplicate or a gap is a broken resume). Thread-safe counters.
 */
final class ResumeStats {

    final LongAdder dropped = new LongAdder();
    final LongAdder resumed = new LongAdder();
    /** A resume answered with {@code resumed:false}: the session was lost. */
    final LongAdder notResumed = new LongAdder();
    /** No resume could be made within the resume window (the server was unreachable). */
    final LongAdder gaveUp = new LongAdder();
    /** Dropped while the server had offered no resume (no resumeToken, or a resume window of 0). */
    final LongAdder unresumable = new LongAdder();
    /** The session was resumed on another connection (close 4001). */
    final LongAdder replaced = new LongAdder();
    /** Server messages at or below lastSeq: a replay overlapping what had arrived; dropped. */
    final LongAdder duplicateSeq = new LongAdder();
    /** Server messages whose seq skipped numbers: something was lost. */
    final LongAdder seqGaps = new LongAdder();
    /** Client messages sent again after a resume (above lastClientSeq). */
    final LongAdder resent = new LongAdder();
    final LongAdder attempts = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final AtomicLong maxLatencyNanos = new AtomicLong();

    void resumedAfter(long nanos) {
        resumed.increment();
        latencyNanos.add(nanos);
        maxLatencyNanos.accumulateAndGet(nanos, Math::max);
    }

    /** No lost session, no gap, no give-up. */
    boolean ok() {
        return notResumed.sum() == 0 && gaveUp.sum() == 0 && seqGaps.sum() == 0 && replaced.sum() == 0
                && unresumable.sum() == 0;
    }

    Map<String, Object> summary() {
        var m = new LinkedHashMap<String, Object>();
        m.put("dropped", dropped.sum());
        m.put("resumed", resumed.sum());
        m.put("notResumed", notResumed.sum());
        m.put("gaveUp", gaveUp.sum());
        m.put("unresumable", unresumable.sum());
        m.put("replaced", replaced.sum());
        m.put("attempts", attempts.sum());
        m.put("resent", resent.sum());
        m.put("duplicateSeq", duplicateSeq.sum());
        m.put("seqGaps", seqGaps.sum());
        long n = resumed.sum();
        m.put("latencyMeanMs", n == 0 ? null : latencyNanos.sum() / 1e6 / n);
        m.put("latencyMaxMs", n == 0 ? null : maxLatencyNanos.get() / 1e6);
        return m;
    }
}
