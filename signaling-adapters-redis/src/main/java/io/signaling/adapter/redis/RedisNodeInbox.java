package io.signaling.adapter.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.NodeInbox;
import io.signaling.ports.log.Logger;
import io.signaling.ports.metrics.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Each node incarnation's inbox is one Redis stream. Publishing goes through a
 * {@link RedisInboxBatcher}: per destination inbox at most one command is in flight on the shared
 * connection, and what is published meanwhile goes out together as the next one, a Lua script on
 * the inbox key that appends each envelope ({@code XADD … MAXLEN ~ n}) in call order and sets the
 * stream's expiry once. An idle cluster therefore pays one round trip per envelope and a busy one
 * one command per batch (before, each envelope was two commands, and at 20,000 cross-node relays/s
 * the bounded request queue filled). How many envelopes may wait per destination is bounded (the
 * request queue size, and a number of characters); past that a publish fails at once with
 * {@link ClusterUnavailableException}, which senders answer {@code unavailable}.
 *
 * <p>Timing, where this differs from {@link NodeInbox}: a failed publish is answered within about
 * twice the command timeout, not one (it may wait up to one command timeout behind the batch in
 * flight, then its own command may take one); while Redis does not answer at all, within one (the
 * batch in flight times out and fails everything waiting behind it). An envelope that failed
 * while waiting was never sent, so it is never delivered afterwards.
 *
 * <p>Reading is {@code XREAD BLOCK} from the last id handed over, on a connection of the reader's
 * own (a blocking read must not hold up every other command), so a lost connection or a reconnect
 * resumes exactly where it stopped. A publish that timed out may still be stored later (Redis may
 * have its batch in its socket buffer); the receiver's sequence check then sees it as late but in
 * order, never duplicated.
 *
 * <p>The expiry (three leases, at least 30 s) is set in the same script as the appends, so it
 * always applies to the stream they created. A live node's inbox therefore never expires while
 * anything is sent to it, and an idle one that does expire holds nothing unread (its owner reads
 * continuously; an owner stalled that long has lost its lease and fenced itself). What it buys: an
 * inbox appended to after its node died, when no survivor's cleanup will delete it (the node died
 * while Redis was down), goes away by itself.
 */
final class RedisNodeInbox implements NodeInbox {

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final RedisInboxBatcher batcher;
    private final Logger log;

    /**
     * @param maxWaiting      envelopes waiting per destination node at most, beyond the batch in flight
     * @param maxWaitingChars characters of envelope text waiting per destination node at most
     * @param nanoClock       monotonic nanoseconds ({@code System::nanoTime}), for how long envelopes wait
     */
    RedisNodeInbox(RedisConnections redis, RedisKeys keys, long maxLength, Duration expiry, int maxWaiting,
                   long maxWaitingChars, Metrics metrics, LongSupplier nanoClock, Logger log) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.batcher = new RedisInboxBatcher(redis, maxLength, expiry, maxWaiting, maxWaitingChars, metrics, nanoClock);
        this.log = log;
    }

    @Override
    public CompletionStage<Void> publish(NodeId node, Envelope e) {
        return batcher.append(keys.inbox(node), encode(e));
    }

    /** The entry's field names and values, alternating; {@link #decode} reads them back. */
    static String[] encode(Envelope e) {
        List<String> fields = new ArrayList<>(20);
        fields.add("o");
        fields.add(e.origin().value());
        fields.add("s");
        fields.add(Long.toString(e.sequence()));
        if (!e.isMark()) {
            fields.add("t");
            fields.add(e.to().value());
            if (e.room() != null) {
                fields.add("r");
                fields.add(e.room().value());
            }
            fields.add("x");
            fields.add(e.text());
        }
        if (e.change() != null) {
            fields.add("cp");
            fields.add(e.change().peer().value());
            fields.add("cn");
            fields.add(e.change().node() == null ? "" : e.change().node().value());
        }
        if (e.traceParent() != null) {
            fields.add("tp");
            fields.add(e.traceParent());
        }
        fields.add("at");
        fields.add(Long.toString(e.sentAtMillis()));
        if (e.command() != null) {
            fields.add("k");
            fields.add(e.command().wire());
        }
        return fields.toArray(String[]::new);
    }

    static Envelope decode(Map<String, String> f) {
        Envelope.Change change = null;
        String changedPeer = f.get("cp");
        if (changedPeer != null) {
            String node = f.get("cn");
            change = new Envelope.Change(PeerId.of(changedPeer), node == null || node.isEmpty() ? null : NodeId.of(node));
        }
        long at = Long.parseLong(f.getOrDefault("at", "0"));
        if (f.get("t") == null) {
            return Envelope.mark(NodeId.of(f.get("o")), Long.parseLong(f.get("s")), at);
        }
        return new Envelope(NodeId.of(f.get("o")), Long.parseLong(f.get("s")), PeerId.of(f.get("t")),
                f.get("r") == null ? null : RoomId.of(f.get("r")), f.get("x"), change, f.get("tp"), at,
                f.get("k") == null ? null : Envelope.Command.fromWire(f.get("k")));
    }

    @Override
    public Reader open(NodeId self, Consumer<Envelope> handler) {
        Objects.requireNonNull(handler, "handler");
        String key = keys.inbox(self);
        // Read from the current end: what was appended before this incarnation existed is not ours.
        List<StreamMessage<String, String>> last = redis.await("inbox open",
                redis.async().xrevrange(key, Range.unbounded(), Limit.from(1)));
        String from = last.isEmpty() ? "0-0" : last.get(0).getId();
        StatefulConnection<String, String> connection;
        try {
            connection = redis.connect();
        } catch (RuntimeException e) {
            throw redis.failed("inbox connection", e);
        }
        StreamReader reader = new StreamReader(key, from, connection, handler);
        reader.thread.start();
        return reader;
    }

    @Override
    public void delete(NodeId node) {
        redis.await("inbox delete", redis.async().del(keys.inbox(node)));
    }

    /** One inbox's reading loop on its own thread and connection. */
    private final class StreamReader implements Reader {
        private final String key;
        private final StatefulConnection<String, String> connection;
        private final RedisClusterAsyncCommands<String, String> commands;
        private final Consumer<Envelope> handler;
        private final Object handlerLock = new Object();
        private final Thread thread;
        private volatile boolean closed;
        private String lastId;

        StreamReader(String key, String from, StatefulConnection<String, String> connection, Consumer<Envelope> handler) {
            this.key = key;
            this.lastId = from;
            this.connection = connection;
            this.commands = RedisConnections.commandsOf(connection);
            this.handler = handler;
            this.thread = new Thread(this::run, "redis-inbox-reader");
            thread.setDaemon(true);
        }

        private void run() {
            // The block must end well inside the command timeout, or every idle read would time out.
            long blockMillis = Math.max(10, redis.commandTimeout().toMillis() / 2);
            XReadArgs args = XReadArgs.Builder.block(blockMillis).count(512);
            long backoffMillis = 50;
            boolean failing = false;
            while (!closed) {
                List<StreamMessage<String, String>> batch;
                try {
                    batch = redis.await("inbox read", commands.xread(args, XReadArgs.StreamOffset.from(key, lastId)));
                    if (failing) {
                        log.info("inbox reading again", "inbox", key);
                        failing = false;
                    }
                    backoffMillis = 50;
                } catch (ClusterUnavailableException e) {
                    if (closed) {
                        return;
                    }
                    if (!failing) {
                        log.warn("inbox read failed; retrying from the last entry read", "inbox", key,
                                "last_id", lastId, "error", e.getMessage());
                        failing = true;
                    }
                    sleep(backoffMillis);
                    backoffMillis = Math.min(1_000, backoffMillis * 2);
                    continue;
                }
                if (batch == null) {
                    continue;
                }
                for (StreamMessage<String, String> message : batch) {
                    lastId = message.getId();
                    Envelope envelope;
                    try {
                        envelope = decode(message.getBody());
                    } catch (RuntimeException e) {
                        log.warn("inbox entry unreadable; skipped", "inbox", key, "id", message.getId(), "error", e.getMessage());
                        continue;
                    }
                    synchronized (handlerLock) {
                        if (closed) {
                            return;
                        }
                        try {
                            handler.accept(envelope);
                        } catch (RuntimeException e) {
                            log.error("inbox handler failed", e, "inbox", key);
                        }
                    }
                }
            }
        }

        private void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }

        @Override
        public void close() {
            synchronized (handlerLock) {
                closed = true;
            }
            connection.close();
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
