package io.signaling.app.telemetry;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logback's {@link AsyncAppender} that counts what it drops, so an operator can see (metric
 * {@code signaling_log_events_dropped_total}) that the log is incomplete instead of guessing.
 *
 * <p>Logback drops in two places and reports neither. Below the discarding threshold it asks
 * {@link #isDiscardable} and returns when told yes: counted here exactly. With
 * {@code neverBlock}, an event that finds the queue full is lost in a private {@code offer}
 * whose result is ignored: counted here when no slot is free just before that offer, which is
 * exact while the writer is stalled (the case that matters) and may be off by the events the
 * writer takes or frees in between otherwise.
 */
final class CountingAsyncAppender extends AsyncAppender {

    private final LongAdder belowThreshold = new LongAdder();
    private final LongAdder queueFull = new LongAdder();

    @Override
    protected boolean isDiscardable(ILoggingEvent event) {
        // Logback only asks once the queue is below its threshold: a yes is a drop.
        boolean discard = super.isDiscardable(event);
        if (discard) {
            belowThreshold.increment();
        }
        return discard;
    }

    @Override
    protected void preprocess(ILoggingEvent event) {
        super.preprocess(event);
        // The next step is the non-blocking offer; with no free slot it loses the event.
        if (isNeverBlock() && isStarted() && getRemainingCapacity() == 0) {
            queueFull.increment();
        }
    }

    /** Events dropped so far: INFO and below under the threshold, plus any event the full queue lost. */
    long dropped() {
        return belowThreshold.sum() + queueFull.sum();
    }
}
