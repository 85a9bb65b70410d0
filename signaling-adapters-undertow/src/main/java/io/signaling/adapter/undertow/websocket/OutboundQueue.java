package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.websocket.SendFailedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One connection's outbound messages: a FIFO bounded in messages and UTF-8 bytes (the message in
 * flight included) with exactly one write in flight, because neither Undertow API allows
 * overlapping async sends; the next message is written from the previous one's completion.
 *
 * <p>Closing: {@link #closeAfterFlush} refuses new messages but keeps writing the queued ones,
 * and reports {@link Events#flushed} when the last is written, so an orderly close frame follows
 * what was sent before it; {@link #failAll} refuses new messages and fails every pending one.
 * Whether a completed write is followed by the next is decided by this queue's state alone, under
 * its lock, so no close on another thread can stop a flush halfway. A drain's close may cut a flush
 * short: {@link #offerFinal} queues its last message past the bounds, and {@link #dropAllButLast}
 * drops the backlog ahead of it when the close's budget runs out.
 *
 * <p>Thread-safety: safe from any thread; the state is guarded by this object's lock, and no
 * callback (writer, events, futures) runs while it is held.
 */
final class OutboundQueue implements Transport.WriteCompletion {

    /** Starts the asynchronous write of one message; never called while another is in flight. */
    @FunctionalInterface
    interface Writer {
        void write(String text);
    }

    /** What the queue tells its connection; called without the queue's lock. */
    interface Events {
        /** A message of {@code bytes} was written. */
        void written(int bytes);

        /** The write in flight failed: the pending messages stay queued until the connection fails them. */
        void writeFailed(Throwable failure);

        /** The flush started by {@link #closeAfterFlush} has written its last message. */
        void flushed();
    }

    /** The immediate outcome of {@link #offer}. */
    enum Offer {
        QUEUED,
        /** Closing or closed: refused, its future failed with {@code CLOSED}. */
        CLOSED,
        /** Over a bound: refused, its future failed with {@code QUEUE_FULL}. */
        FULL
    }

    /** The write in flight, if any, and since when. */
    record InFlight(boolean writing, long sinceNanos) {
    }

    private enum State { OPEN, FLUSHING, CLOSED }

    private record Outbound(String text, int bytes, CompletableFuture<Void> done) {
    }

    private final int maxMessages;
    private final long maxBytes;
    private final Writer writer;
    private final Events events;
    private final LongSupplier nanoTime;

    // Guarded by `this`.
    // Waiting behind the write in flight; made on the first backlog, so an idle connection (most
    // of them, most of the time) holds no deque. Never null'ed again once made.
    private ArrayDeque<Outbound> queue;
    private State state = State.OPEN;
    private Outbound inFlight;
    private long inFlightSince;
    private int queuedMessages;
    private long queuedBytes;
    private boolean completedInline;
    private Outbound nextInline;

    /** The thread inside {@link Writer#write}, so that an inline completion continues its loop instead of recursing. */
    private volatile Thread writing;

    /**
     * @param writer starts each write ({@link Transport#sendText}); its end comes back through {@link #writeCompleted}
     */
    OutboundQueue(int maxMessages, long maxBytes, Writer writer, Events events, LongSupplier nanoTime) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.writer = Objects.requireNonNull(writer, "writer");
        this.events = Objects.requireNonNull(events, "events");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Queues a message; {@code done} may be null (nobody awaits it). When refused, {@code done}
     * has been failed already.
     */
    Offer offer(String text, int bytes, CompletableFuture<Void> done) {
        return offer(text, bytes, done, true);
    }

    /**
     * Queues the connection's final message (a close follows): past the bounds if need be, so a
     * full queue still gets it; refused only when closing or closed.
     */
    Offer offerFinal(String text, int bytes) {
        return offer(text, bytes, null, false);
    }

    private Offer offer(String text, int bytes, CompletableFuture<Void> done, boolean bounded) {
        Outbound outbound = new Outbound(text, bytes, done);
        Offer outcome;
        synchronized (this) {
            outcome = state != State.OPEN ? Offer.CLOSED
                    : bounded && (queuedMessages >= maxMessages || queuedBytes + bytes > maxBytes) ? Offer.FULL
                    : Offer.QUEUED;
            if (outcome == Offer.QUEUED) {
                queuedMessages++;
                queuedBytes += bytes;
                if (inFlight != null) {
                    if (queue == null) {
                        queue = new ArrayDeque<>(4);
                    }
                    queue.addLast(outbound);
                    return outcome;
                }
                inFlight = outbound;
                inFlightSince = nanoTime.getAsLong();
            }
        }
        switch (outcome) {
            case QUEUED -> write(outbound);
            case FULL -> fail(done, SendFailedException.Reason.QUEUE_FULL);
            case CLOSED -> fail(done, SendFailedException.Reason.CLOSED);
        }
        return outcome;
    }

    /** Writes {@code first}, then, as long as writes complete inline, their successors (no recursion). */
    private void write(Outbound first) {
        Outbound next = first;
        while (next != null) {
            Thread me = Thread.currentThread();
            writing = me;
            try {
                writer.write(next.text());
            } catch (RuntimeException e) {
                writeCompleted(e);
            }
            if (writing == me) {
                writing = null;
            }
            synchronized (this) {
                if (!completedInline) {
                    return;
                }
                completedInline = false;
                next = nextInline;
                nextInline = null;
            }
        }
    }

    @Override
    public void writeCompleted(Throwable failure) {
        boolean ok = failure == null;
        Outbound done;
        Outbound next = null;
        boolean flushed = false;
        synchronized (this) {
            done = inFlight;
            if (done == null) {
                return; // failed already by a close
            }
            inFlight = null;
            queuedMessages--;
            queuedBytes -= done.bytes();
            if (ok && state != State.CLOSED) {
                next = queue == null ? null : queue.pollFirst();
                if (next != null) {
                    inFlight = next;
                    inFlightSince = nanoTime.getAsLong();
                    if (writing == Thread.currentThread()) {
                        // Completed inside sendText on this very thread: let write()'s loop continue.
                        completedInline = true;
                        nextInline = next;
                        next = null;
                    }
                } else if (state == State.FLUSHING) {
                    state = State.CLOSED;
                    flushed = true;
                }
            }
        }
        if (!ok) {
            fail(done.done(), SendFailedException.Reason.IO_ERROR);
            events.writeFailed(failure);
            return;
        }
        events.written(done.bytes());
        if (done.done() != null) {
            done.done().complete(null);
        }
        if (next != null) {
            write(next);
        } else if (flushed) {
            events.flushed();
        }
    }

    /**
     * Refuses new messages from now on and keeps writing the queued ones. Returns true when a
     * write is in flight: {@link Events#flushed} follows the last one (unless {@link #failAll}
     * comes first). False when nothing was left to write: the caller may close at once.
     */
    boolean closeAfterFlush() {
        synchronized (this) {
            if (state != State.OPEN) {
                return false;
            }
            if (inFlight == null) {
                state = State.CLOSED;
                return false;
            }
            state = State.FLUSHING;
            return true;
        }
    }

    /**
     * During a flush ({@link #closeAfterFlush}): drops every waiting message but the last, so the
     * last one follows the write in flight. Their stages fail with {@code CLOSED}.
     *
     * @return how many were dropped
     */
    int dropAllButLast() {
        List<Outbound> dropped;
        synchronized (this) {
            if (state != State.FLUSHING || queue == null || queue.size() < 2) {
                return 0;
            }
            Outbound last = queue.pollLast();
            dropped = new ArrayList<>(queue);
            queue.clear();
            queue.addLast(last);
            for (Outbound outbound : dropped) {
                queuedMessages--;
                queuedBytes -= outbound.bytes();
            }
        }
        for (Outbound outbound : dropped) {
            fail(outbound.done(), SendFailedException.Reason.CLOSED);
        }
        return dropped.size();
    }

    /** Whether a flush started by {@link #closeAfterFlush} is still writing. */
    boolean isFlushing() {
        synchronized (this) {
            return state == State.FLUSHING;
        }
    }

    /** Refuses new messages from now on and fails every pending one (the one in flight included) with {@code reason}. */
    void failAll(SendFailedException.Reason reason) {
        List<Outbound> failed;
        synchronized (this) {
            state = State.CLOSED;
            failed = new ArrayList<>((queue == null ? 0 : queue.size()) + 1);
            if (inFlight != null) {
                failed.add(inFlight);
                inFlight = null;
            }
            if (queue != null) {
                failed.addAll(queue);
                queue.clear();
            }
            queuedMessages = 0;
            queuedBytes = 0;
            nextInline = null;
            completedInline = false;
        }
        for (Outbound outbound : failed) {
            fail(outbound.done(), reason);
        }
    }

    /** UTF-8 bytes not written yet: the waiting messages and the one in flight (a scrape's gauge). */
    long pendingBytes() {
        synchronized (this) {
            return queuedBytes;
        }
    }

    /** The write in flight, for the send timeout. */
    InFlight inFlight() {
        synchronized (this) {
            return new InFlight(inFlight != null, inFlightSince);
        }
    }

    private static void fail(CompletableFuture<Void> done, SendFailedException.Reason reason) {
        if (done != null) {
            done.completeExceptionally(new SendFailedException(reason));
        }
    }
}
