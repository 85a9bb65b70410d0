package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.log.Logger;
import io.signaling.ports.websocket.SendFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A connection's close, whoever starts it: the first cause wins (who closed, with what code,
 * counted under which reason); an orderly {@link #close} lets the queued messages go out before
 * the close frame; the close is reported exactly once; the socket is dropped if the peer does not
 * answer in time; and the connection is finished when both the socket is gone and the report has
 * been heard.
 *
 * <p>Lock-free: the cause, the report and the finish are atomics; the flush's state is the
 * {@link OutboundQueue}'s. No method blocks.
 *
 * <p>Thread-safety: safe from any thread.
 */
final class CloseHandshake {

    private static final int MAX_REASON_BYTES = 123;

    /** Why the connection closed: the code and reason of the close frame, and the metric's reason. */
    record Cause(int code, String reason, String metricReason) {
    }

    /** What the close tells its connection. */
    interface Outcome {
        /** The close began (the first cause was set): the connection leaves the hub. */
        void began();

        /** The close happened: report it once, then run {@code heard} when the listener is done with it. */
        void reported(Cause cause, Runnable heard);

        /** Both the socket is gone and the report was heard. */
        void finished();
    }

    private final OutboundQueue outbound;
    private final Transport transport;
    private final IoThread ioThread;
    private final BooleanSupplier channelOpen;
    private final long sendTimeoutNanos;
    private final long graceNanos;
    private final Outcome outcome;
    private final Logger log;

    private final AtomicReference<Cause> cause = new AtomicReference<>();
    private final AtomicBoolean reported = new AtomicBoolean();
    /** The socket closing and the report being heard: both must happen before the connection is finished. */
    private final AtomicInteger unfinished = new AtomicInteger(2);
    private volatile boolean errorSeen;

    /**
     * @param sendTimeoutNanos how long an orderly close waits for the queued messages
     * @param graceNanos       how long the peer has to answer our close frame before the socket is dropped
     */
    CloseHandshake(OutboundQueue outbound, Transport transport, IoThread ioThread, BooleanSupplier channelOpen,
                   long sendTimeoutNanos, long graceNanos, Outcome outcome, Logger log) {
        this.outbound = Objects.requireNonNull(outbound, "outbound");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.ioThread = Objects.requireNonNull(ioThread, "ioThread");
        this.channelOpen = Objects.requireNonNull(channelOpen, "channelOpen");
        this.sendTimeoutNanos = sendTimeoutNanos;
        this.graceNanos = graceNanos;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Whether the close has begun on either side. */
    boolean isClosing() {
        return cause.get() != null;
    }

    /** A transport error was seen: a later drop counts as an error, not as a plain close. */
    void errorSeen() {
        errorSeen = true;
    }

    /**
     * An orderly close: new sends are refused from now on, and the close frame follows the last
     * queued message, as TCP would deliver what was sent before it (a drain queues goaway and then
     * closes; the goaway must not be lost), bounded by the send timeout.
     */
    void close(int code, String reason, String metricReason) {
        close(code, reason, metricReason, -1);
    }

    /**
     * {@link #close(int, String, String)} whose flush is bounded by {@code flushBudgetNanos} (when
     * not negative): at the budget, the messages still waiting but the last are dropped, so the
     * last one (a drain's goaway) and the close frame go next; the send timeout then bounds the
     * rest as usual.
     */
    void close(int code, String reason, String metricReason, long flushBudgetNanos) {
        Cause first = new Cause(code, truncateReason(reason), metricReason);
        if (!cause.compareAndSet(null, first)) {
            return;
        }
        outcome.began();
        // The queue decides "flush, then report flushed" under its own lock, atomically with
        // refusing new sends: a write completing meanwhile keeps the flush going (commit 3496b0d).
        if (outbound.closeAfterFlush()) {
            if (flushBudgetNanos >= 0 && flushBudgetNanos < sendTimeoutNanos) {
                scheduleBacklogDrop(flushBudgetNanos);
            } else {
                scheduleFlushDeadline();
            }
        } else {
            finish(first, SendFailedException.Reason.CLOSED, false);
        }
    }

    private void scheduleBacklogDrop(long budgetNanos) {
        try {
            ioThread.executeAfter(() -> {
                int dropped = outbound.dropAllButLast();
                if (dropped > 0) {
                    log.info("queued messages not written within the close's budget, dropped to send the last one",
                            "dropped", dropped, "budget_ms", TimeUnit.NANOSECONDS.toMillis(budgetNanos));
                }
                if (outbound.isFlushing()) {
                    scheduleFlushDeadline();
                }
            }, budgetNanos);
        } catch (RejectedExecutionException e) {
            abort();
        }
    }

    /** The queue has written everything that was sent before {@link #close}: the close frame goes now. */
    void flushed() {
        finish(cause.get(), SendFailedException.Reason.CLOSED, false);
    }

    private void scheduleFlushDeadline() {
        try {
            ioThread.executeAfter(() -> {
                if (outbound.isFlushing()) {
                    log.warn("queued messages not written before close within the send timeout, aborting",
                            "send_timeout_ms", TimeUnit.NANOSECONDS.toMillis(sendTimeoutNanos));
                    abort();
                }
            }, sendTimeoutNanos);
        } catch (RejectedExecutionException e) {
            abort();
        }
    }

    /**
     * Starts our side of the close at once: the first caller sets the cause; pending sends fail
     * with {@code pendingFailure}; the close frame goes out; the socket is dropped now
     * ({@code abortNow}, for peers that do not read) or after the grace period if the peer does
     * not answer.
     */
    void closeNow(int code, String reason, String metricReason, SendFailedException.Reason pendingFailure,
                  boolean abortNow) {
        Cause first = new Cause(code, truncateReason(reason), metricReason);
        if (!cause.compareAndSet(null, first)) {
            if (abortNow) {
                abort();
            }
            return;
        }
        outcome.began();
        finish(first, pendingFailure, abortNow);
    }

    private void finish(Cause first, SendFailedException.Reason pendingFailure, boolean abortNow) {
        outbound.failAll(pendingFailure);
        try {
            // A transport may report the close synchronously (see transportClosed) with our code.
            transport.sendClose(first.code(), first.reason());
        } catch (IOException | RuntimeException e) {
            log.debug("close frame could not be sent", e);
            abort();
        }
        if (abortNow) {
            abort();
        } else {
            scheduleAbort();
        }
        // A close the transport did not report still has to be reported.
        transportClosed(first.code(), first.reason());
    }

    private void scheduleAbort() {
        try {
            ioThread.executeAfter(() -> {
                if (channelOpen.getAsBoolean()) {
                    log.debug("peer did not answer the close frame in time, aborting");
                    abort();
                }
            }, graceNanos);
        } catch (RejectedExecutionException e) {
            abort();
        }
    }

    /** Drops the socket without a close handshake (a peer that does not read, a drain past its deadline). */
    void abort() {
        try {
            transport.abort();
        } catch (RuntimeException e) {
            log.debug("abort failed", e);
        }
    }

    /**
     * The transport saw the connection close (the peer's close frame, a drop, or our own close):
     * the first report sets the cause unless we closed first; it is reported once.
     */
    void transportClosed(int code, String reason) {
        String metricReason = WebSocketTelemetry.reasonOf(code, errorSeen);
        if (cause.compareAndSet(null, new Cause(code, reason == null ? "" : reason, metricReason))) {
            outcome.began();
        }
        // Also when an orderly close was still flushing: nothing more will be written.
        outbound.failAll(SendFailedException.Reason.CLOSED);
        if (reported.compareAndSet(false, true)) {
            outcome.reported(cause.get(), this::finishOne);
        }
    }

    /** The socket is gone. */
    void channelClosed() {
        finishOne();
    }

    private void finishOne() {
        if (unfinished.decrementAndGet() == 0) {
            outcome.finished();
        }
    }

    /** A close frame's reason is at most 123 bytes of UTF-8; never cut a character in half. */
    static String truncateReason(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() * 3 <= MAX_REASON_BYTES) {
            return reason;
        }
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = MAX_REASON_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
