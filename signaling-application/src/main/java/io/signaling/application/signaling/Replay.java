package io.signaling.application.signaling;

import io.signaling.ports.signaling.MessageCodec;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * (v1.1) The server side of one session's sequence numbers: numbers every message sent to the
 * session (1, 2, 3…), keeps the latest ones so that a resume can replay exactly those after the
 * client's {@code lastSeq}, and, while the session is suspended (no connection), counts what
 * arrives for it against the buffer bounds.
 *
 * <p>One bound serves both: at most {@code maxMessages} messages and {@code maxBytes} UTF-8 bytes
 * are kept (the oldest dropped first while connected); while suspended, the messages that arrived
 * since the suspension may not exceed them (they are always among the kept ones, since those are
 * the latest): one more is an overflow, after which nothing more is numbered or kept and the
 * session must end.
 *
 * <p>Thread-safety: every method takes this object's own lock, which is the innermost lock of the
 * service (after the session's monitor and the room's stripe) and is held while queueing on the
 * connection, so the numbers follow the connection's queue order.
 */
final class Replay {

    /** What became of one message. */
    enum Outcome {
        /** Numbered, kept and queued on the connection. */
        SENT,
        /** Numbered and kept while suspended. */
        BUFFERED,
        /** It would exceed the buffer while suspended: not kept; the session must end. */
        OVERFLOW,
        /** The session overflowed already: ignored. */
        DROPPED
    }

    /** One kept message and its number. */
    record Kept(long seq, TextFrame frame) {
    }

    private final int maxMessages;
    private final long maxBytes;
    private final MessageCodec codec;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private long keptBytes;
    private long lastSeq;
    private WebSocketConnection connection;
    private int bufferedMessages;
    private long bufferedBytes;
    private boolean overflowed;
    /**
     * (a session that moved here from another node) The nodes whose earlier messages for the
     * session are still on their way through its old node; until each has flushed, new messages
     * are held back (unnumbered) so that none overtakes an older one from the same sender.
     */
    private java.util.Set<String> awaitingFlush;
    private List<TextFrame> held;

    Replay(int maxMessages, long maxBytes, MessageCodec codec, WebSocketConnection connection) {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.codec = codec;
        this.connection = connection;
    }

    /**
     * A session handed over by another node: its numbering goes on after {@code lastSeq}, with the
     * messages that node kept ({@code kept}, oldest first) kept here for later resumes, and no
     * connection yet ({@link #resume} attaches it). Messages are held back until every node in
     * {@code awaitingFlush} has {@linkplain #flushed flushed} (empty: none).
     */
    static Replay handedOver(int maxMessages, long maxBytes, MessageCodec codec, long lastSeq, List<Kept> kept,
                             java.util.Set<String> awaitingFlush) {
        Replay replay = new Replay(maxMessages, maxBytes, codec, null);
        replay.lastSeq = lastSeq;
        for (Kept k : kept) {
            replay.kept.addLast(k);
            replay.keptBytes += k.frame().utf8Bytes();
        }
        if (!awaitingFlush.isEmpty()) {
            replay.awaitingFlush = new java.util.HashSet<>(awaitingFlush);
            replay.held = new ArrayList<>();
        }
        return replay;
    }

    /** Numbers {@code frame} (an encoded message without {@code seq}) and sends or keeps it. */
    synchronized Outcome send(TextFrame frame) {
        if (held != null) {
            held.add(frame);
            if (held.size() > maxMessages) {
                // A flush that never comes (its node died) must not hold without bound.
                return releaseHeld();
            }
            return Outcome.BUFFERED;
        }
        return numberAndSend(frame, false, 0, null, null);
    }

    /** A message its old node passed on: older than anything held back, so it goes first. */
    synchronized Outcome sendForwarded(TextFrame frame) {
        return numberAndSend(frame, false, 0, null, null);
    }

    /**
     * {@code node} has flushed: everything it sent through the old node has arrived.
     *
     * @return {@link Outcome#OVERFLOW} when releasing the held messages overflowed the buffer
     */
    synchronized Outcome flushed(String node) {
        if (awaitingFlush == null) {
            return Outcome.SENT;
        }
        awaitingFlush.remove(node);
        return awaitingFlush.isEmpty() ? releaseHeld() : Outcome.SENT;
    }

    /** Stops holding back (every flush came, or waiting longer is pointless): the held messages go, in order. */
    synchronized Outcome releaseHeld() {
        List<TextFrame> release = held;
        held = null;
        awaitingFlush = null;
        Outcome outcome = Outcome.SENT;
        if (release != null) {
            for (TextFrame frame : release) {
                Outcome one = numberAndSend(frame, false, 0, null, null);
                if (one == Outcome.OVERFLOW) {
                    outcome = one;
                }
            }
        }
        return outcome;
    }

    /** Whether messages are still held back waiting for flushes. */
    synchronized boolean holding() {
        return held != null;
    }

    /**
     * Numbers and keeps {@code frame} like {@link #send(TextFrame)}, then hands it to the
     * connection as its last message before the close ({@link WebSocketConnection#sendLastAndClose}):
     * a backlog dropped past {@code flushBudget} is still kept here for a resume.
     */
    synchronized Outcome sendLastAndClose(TextFrame frame, int code, String reason, Duration flushBudget) {
        releaseHeld();
        return numberAndSend(frame, true, code, reason, flushBudget);
    }

    private Outcome numberAndSend(TextFrame frame, boolean last, int code, String reason, Duration flushBudget) {
        if (overflowed) {
            return Outcome.DROPPED;
        }
        if (connection == null && (bufferedMessages + 1 > maxMessages || bufferedBytes + frame.utf8Bytes() > maxBytes)) {
            overflowed = true;
            return Outcome.OVERFLOW;
        }
        long seq = ++lastSeq;
        String text = codec.sequenced(frame.text(), seq);
        // The seq member is ASCII: the size grows by exactly its length.
        TextFrame numbered = new TextFrame(text, frame.utf8Bytes() + (text.length() - frame.text().length()));
        kept.addLast(new Kept(seq, numbered));
        keptBytes += numbered.utf8Bytes();
        while (kept.size() > 1 && (kept.size() > maxMessages || keptBytes > maxBytes)) {
            keptBytes -= kept.removeFirst().frame().utf8Bytes();
        }
        if (connection == null) {
            bufferedMessages++;
            bufferedBytes += frame.utf8Bytes();
            return Outcome.BUFFERED;
        }
        if (last) {
            connection.sendLastAndClose(numbered, code, reason, flushBudget);
        } else {
            connection.send(numbered);
        }
        return Outcome.SENT;
    }

    /** The connection is gone: from now on messages are buffered (bounded) until {@link #resume}. */
    synchronized void suspend() {
        connection = null;
        bufferedMessages = 0;
        bufferedBytes = 0;
    }

    /** Whether a resume from {@code clientLastSeq} can replay everything after it. */
    synchronized boolean canResumeFrom(long clientLastSeq) {
        if (overflowed || clientLastSeq < 0 || clientLastSeq > lastSeq) {
            return false;
        }
        long oldestKept = kept.isEmpty() ? lastSeq + 1 : kept.peekFirst().seq();
        return clientLastSeq >= oldestKept - 1;
    }

    /**
     * Moves the session to {@code to}: queues {@code welcome} (unnumbered), then every kept message
     * with {@code seq > clientLastSeq} in order, then lets live traffic through; atomically, so no
     * live message can come between.
     *
     * @return how many messages were replayed, or -1 when {@link #canResumeFrom} says no (nothing changed)
     */
    synchronized int resume(long clientLastSeq, WebSocketConnection to, TextFrame welcome) {
        if (!canResumeFrom(clientLastSeq)) {
            return -1;
        }
        to.send(welcome);
        int replayed = 0;
        for (Kept k : kept) {
            if (k.seq() > clientLastSeq) {
                to.send(k.frame());
                replayed++;
            }
        }
        connection = to;
        bufferedMessages = 0;
        bufferedBytes = 0;
        return replayed;
    }

    /** The highest number given so far (0: none). */
    synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized boolean overflowed() {
        return overflowed;
    }

    /** The kept messages with their numbers, oldest first: what a hand-over to another node carries. */
    synchronized List<Kept> keptWithSeq() {
        return new ArrayList<>(kept);
    }

    /** The kept messages, oldest first (for tests and for handing a session to another node). */
    synchronized List<TextFrame> kept() {
        List<TextFrame> out = new ArrayList<>(kept.size());
        for (Kept k : kept) {
            out.add(k.frame());
        }
        return out;
    }
}
