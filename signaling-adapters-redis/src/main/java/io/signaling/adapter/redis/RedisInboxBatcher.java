package io.signaling.adapter.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Appends envelopes to inbox streams in batches, one lane per destination inbox: at most one
 * command per inbox is in flight, and whatever is published meanwhile waits in the lane and goes
 * out as the next command, all of it (up to {@link #MAX_BATCH} envelopes or {@link #MAX_BATCH_CHARS}
 * characters). No timer: on an idle lane an envelope goes out at once, so an idle cluster pays one
 * round trip, and under load a command carries as much as piled up during the previous one. Before
 * this every envelope was an {@code XADD} and a {@code PEXPIRE} of its own, and at 20,000 cross-node
 * relays/s the shared connection's request queue filled and latency grew to seconds.
 *
 * <p>A batch is one Lua script on the inbox key only (so it runs on a Redis Cluster): an
 * {@code XADD MAXLEN ~} per envelope in order, then the expiry once. Sent with {@code EVAL} each
 * time, like the room scripts: after a Redis restart there is no script cache to miss.
 *
 * <p>Admission is bounded per lane: past {@code maxWaiting} envelopes or {@code maxWaitingChars}
 * characters of field values waiting, an append fails at once (the returned future is already
 * failed when the call returns), so its sender is told {@code unavailable} and nothing grows without
 * bound. Every accepted envelope is answered within about twice the command timeout: when a batch
 * fails, everything waiting behind it fails with it (Redis is not answering), and an envelope that
 * waited longer than the command timeout (Redis answering, but slower than the lane fills) fails
 * instead of going out late. A failed envelope was not stored by this adapter (a batch that timed
 * out may still be applied by Redis later, whole, as with any command).
 *
 * <p>Thread-safety: {@link #append} is safe from any thread and never blocks on Redis; calls for
 * one inbox are stored in the order their lane lock was taken, so calls ordered by happens-before
 * keep their order. Each lane's lock guards its queue and its in-flight flag only; commands are
 * sent outside it (one lane has at most one in flight, so the order holds).
 */
final class RedisInboxBatcher {

    /** Envelopes per command at most: keeps a script's run inside Redis short. */
    static final int MAX_BATCH = 256;
    /** Characters of field values per command at most (about 1 MiB of text). */
    static final long MAX_BATCH_CHARS = 1L << 20;
    /** What an envelope costs beyond its field values (field names, the entry id), counted against the bounds. */
    private static final int OVERHEAD_CHARS = 64;

    /**
     * KEYS[1] the inbox; ARGV[1] the MAXLEN, ARGV[2] the expiry in ms, then per envelope the number
     * of field pairs n followed by the 2n field names and values. Returns the entries appended.
     */
    private static final String APPEND = """
            local i = 3
            local added = 0
            while i <= #ARGV do
              local n = tonumber(ARGV[i])
              redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, i + 1, i + 2 * n))
              added = added + 1
              i = i + 1 + 2 * n
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return added
            """;

    private final RedisConnections redis;
    private final String maxLength;
    private final String expiryMillis;
    private final int maxWaiting;
    private final long maxWaitingChars;
    private final long maxWaitNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Metrics.Counter refused;
    private final Metrics.Counter batches;

    /**
     * @param maxWaiting      envelopes waiting per inbox at most (the one batch in flight not counted)
     * @param maxWaitingChars characters of field values waiting per inbox at most
     * @param nanoClock       monotonic nanoseconds, for how long an envelope has waited
     */
    RedisInboxBatcher(RedisConnections redis, long maxLength, Duration expiry, int maxWaiting, long maxWaitingChars,
                      Metrics metrics, LongSupplier nanoClock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        if (maxLength < 1 || maxWaiting < 1 || maxWaitingChars < 1) {
            throw new IllegalArgumentException("maxLength, maxWaiting and maxWaitingChars must be >= 1");
        }
        this.maxLength = Long.toString(maxLength);
        this.expiryMillis = Long.toString(expiry.toMillis());
        this.maxWaiting = maxWaiting;
        this.maxWaitingChars = maxWaitingChars;
        this.maxWaitNanos = redis.commandTimeout().toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.refused = metrics.counter("signaling.cluster.inbox.refused",
                "Cross-node envelopes refused at once because too many already waited for their destination node",
                Tags.empty());
        this.batches = metrics.counter("signaling.cluster.inbox.batches",
                "Commands that appended cross-node envelopes to an inbox (each carries one or more)", Tags.empty());
        metrics.gauge("signaling.cluster.inbox.waiting",
                "Cross-node envelopes waiting for the command in flight to their destination node", Tags.empty(),
                this::waitingTotal);
    }

    /**
     * Appends one entry to {@code key}'s stream.
     *
     * @param fields field names and values, alternating
     * @return completes when the batch carrying it is stored; fails with
     *         {@link ClusterUnavailableException} (already failed on return when refused at once)
     */
    CompletableFuture<Void> append(String key, String[] fields) {
        Entry entry = new Entry(fields, nanoClock.getAsLong());
        while (true) {
            Lane lane = lanes.computeIfAbsent(key, Lane::new);
            Batch first;
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                if (lane.waiting.size() >= maxWaiting
                        || (!lane.waiting.isEmpty() && lane.waitingChars + entry.chars > maxWaitingChars)) {
                    refused.increment();
                    return CompletableFuture.failedFuture(new ClusterUnavailableException(
                            "redis inbox publish refused: " + lane.waiting.size() + " envelopes ("
                                    + lane.waitingChars + " characters) already wait for " + key));
                }
                lane.waiting.add(entry);
                lane.waitingChars += entry.chars;
                if (lane.sending) {
                    return entry.done;
                }
                lane.sending = true;
                first = lane.take(nanoClock.getAsLong());
            }
            send(lane, first);
            return entry.done;
        }
    }

    /** Sends batches of {@code lane} until one is in flight or the lane is idle. */
    private void send(Lane lane, Batch batch) {
        while (batch != null) {
            fail(batch.expired, null);
            if (batch.entries.isEmpty()) {
                batch = lane.next(null);
                continue;
            }
            long started = System.nanoTime();
            RedisFuture<Long> reply;
            try {
                reply = redis.async().eval(APPEND, ScriptOutputType.INTEGER, new String[] {lane.key},
                        arguments(batch.entries));
            } catch (RuntimeException error) {
                // A full request queue, or no connection: refused at once, and the rest with it.
                ClusterUnavailableException failure = redis.failed("inbox publish", error);
                fail(batch.entries, failure);
                batch = lane.next(failure);
                continue;
            }
            batches.increment();
            Batch sent = batch;
            RedisFuture<Long> answer = reply;
            if (answer.isDone()) {
                // Refused on the way out: carry on here rather than nest a call per batch.
                batch = lane.next(finish(sent, answer, started));
                continue;
            }
            answer.whenComplete((added, error) -> send(lane, lane.next(finish(sent, answer, started))));
            return;
        }
    }

    /** Completes the entries of a batch whose command completed; returns its failure, if any. */
    private ClusterUnavailableException finish(Batch batch, RedisFuture<Long> reply, long started) {
        Throwable error;
        try {
            reply.toCompletableFuture().join();
            error = null;
        } catch (RuntimeException e) {
            error = e.getCause() != null ? e.getCause() : e;
        }
        if (error != null) {
            ClusterUnavailableException failure = redis.failed("inbox publish", error);
            fail(batch.entries, failure);
            return failure;
        }
        redis.recordLatency(System.nanoTime() - started);
        for (Entry entry : batch.entries) {
            entry.done.complete(null);
        }
        return null;
    }

    private void fail(List<Entry> entries, ClusterUnavailableException failure) {
        if (entries.isEmpty()) {
            return;
        }
        // Redis answered (slowly): not a command error, but the sender must hear within a bound.
        ClusterUnavailableException cause = failure != null ? failure : new ClusterUnavailableException(
                "redis inbox publish failed: waited longer than the command timeout ("
                        + maxWaitNanos / 1_000_000 + " ms) behind earlier envelopes to the same node");
        for (Entry entry : entries) {
            entry.done.completeExceptionally(cause);
        }
    }

    private String[] arguments(List<Entry> entries) {
        int size = 2;
        for (Entry entry : entries) {
            size += 1 + entry.fields.length;
        }
        String[] args = new String[size];
        args[0] = maxLength;
        args[1] = expiryMillis;
        int i = 2;
        for (Entry entry : entries) {
            args[i++] = Integer.toString(entry.fields.length / 2);
            System.arraycopy(entry.fields, 0, args, i, entry.fields.length);
            i += entry.fields.length;
        }
        return args;
    }

    /** Envelopes waiting, over every inbox (a gauge, read at scrape time). */
    private long waitingTotal() {
        long total = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                total += lane.waiting.size();
            }
        }
        return total;
    }

    private static final class Entry {
        final String[] fields;
        final long chars;
        final long enqueuedNanos;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Entry(String[] fields, long enqueuedNanos) {
            this.fields = fields;
            this.enqueuedNanos = enqueuedNanos;
            long n = OVERHEAD_CHARS;
            for (int i = 1; i < fields.length; i += 2) {
                n += fields[i].length();
            }
            this.chars = n;
        }
    }

    /** What to send next: {@code entries} in order, after failing {@code expired}. */
    private record Batch(List<Entry> entries, List<Entry> expired) {
    }

    /** One destination inbox: its waiting envelopes and whether a batch of it is in flight. */
    private final class Lane {
        final String key;
        final ArrayDeque<Entry> waiting = new ArrayDeque<>();
        long waitingChars;
        boolean sending;
        /** Removed from the map while idle: an append that still holds it looks the lane up again. */
        boolean retired;

        Lane(String key) {
            this.key = key;
        }

        /**
         * After a batch: the next one, or null when nothing waits (the lane is then idle and leaves
         * the map). After a failed batch everything waiting fails with it.
         */
        Batch next(ClusterUnavailableException failure) {
            List<Entry> failed = null;
            Batch next;
            synchronized (this) {
                if (failure != null && !waiting.isEmpty()) {
                    failed = new ArrayList<>(waiting);
                    waiting.clear();
                    waitingChars = 0;
                }
                if (waiting.isEmpty()) {
                    sending = false;
                    retired = true;
                    lanes.remove(key, this);
                    next = null;
                } else {
                    next = take(nanoClock.getAsLong());
                }
            }
            if (failed != null) {
                fail(failed, failure);
            }
            return next;
        }

        /** Takes the next batch off the queue (at least one entry, or only expired ones); call under the lock. */
        Batch take(long now) {
            List<Entry> expired = List.of();
            while (!waiting.isEmpty() && now - waiting.peekFirst().enqueuedNanos > maxWaitNanos) {
                if (expired.isEmpty()) {
                    expired = new ArrayList<>();
                }
                Entry entry = waiting.pollFirst();
                waitingChars -= entry.chars;
                expired.add(entry);
            }
            List<Entry> entries = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
            long chars = 0;
            while (!waiting.isEmpty() && entries.size() < MAX_BATCH
                    && (entries.isEmpty() || chars + waiting.peekFirst().chars <= MAX_BATCH_CHARS)) {
                Entry entry = waiting.pollFirst();
                waitingChars -= entry.chars;
                chars += entry.chars;
                entries.add(entry);
            }
            return new Batch(entries, expired);
        }
    }
}
