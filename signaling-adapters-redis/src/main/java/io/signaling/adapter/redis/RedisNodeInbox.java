package io.signaling.adapter.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Each node incarnation's inbox is one Redis stream. Publishing is {@code XADD … MAXLEN ~ n} on
 * the shared connection, so publishes keep their call order; reading is {@code XREAD BLOCK} from
 * the last id handed over, on a connection of the reader's own (a blocking read must not hold up
 * every other command), so a lost connection or a reconnect resumes exactly where it stopped.
 * A publish that timed out may still be stored later (Redis may have it in its socket buffer);
 * the receiver's sequence check then sees it as late but in order, never duplicated.
 *
 * <p>Every publish also sets the stream's expiry ({@code PEXPIRE}, pipelined behind the
 * {@code XADD} on the same connection, so it applies to the stream the append created). A live
 * node's inbox therefore never expires while anything is sent to it, and an idle one that does
 * expire holds nothing unread (its owner reads continuously; an owner stalled that long has lost
 * its lease and fenced itself). What it buys: an inbox appended to after its node died, when no
 * survivor's cleanup will delete it (the node died while Redis was down), goes away by itself.
 */
final class RedisNodeInbox implements NodeInbox {

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final long maxLength;
    private final long expiryMillis;
    private final Logger log;

    RedisNodeInbox(RedisConnections redis, RedisKeys keys, long maxLength, Duration expiry, Logger log) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.maxLength = maxLength;
        this.expiryMillis = expiry.toMillis();
        this.log = log;
    }

    @Override
    public CompletionStage<Void> publish(NodeId node, Envelope e) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("o", e.origin().value());
        fields.put("s", Long.toString(e.sequence()));
        if (!e.isMark()) {
            fields.put("t", e.to().value());
            if (e.room() != null) {
                fields.put("r", e.room().value());
            }
            fields.put("x", e.text());
        }
        if (e.change() != null) {
            fields.put("cp", e.change().peer().value());
            fields.put("cn", e.change().node() == null ? "" : e.change().node().value());
        }
        if (e.traceParent() != null) {
            fields.put("tp", e.traceParent());
        }
        fields.put("at", Long.toString(e.sentAtMillis()));
        if (e.command() != null) {
            fields.put("k", e.command().wire());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        long started = System.nanoTime();
        try {
            String key = keys.inbox(node);
            redis.async().xadd(key, new XAddArgs().maxlen(maxLength).approximateTrimming(), fields)
                    .whenComplete((id, error) -> {
                        if (error != null) {
                            done.completeExceptionally(redis.failed("inbox publish", error));
                        } else {
                            redis.recordLatency(System.nanoTime() - started);
                            done.complete(null);
                        }
                    });
            // Not awaited: the envelope is stored whether or not its expiry is, and the next
            // publish sets it again. A full request queue refusing it must not report the
            // already-sent XADD as failed (its sender would be told `unavailable` and re-send).
            try {
                redis.async().pexpire(key, expiryMillis);
            } catch (RuntimeException ignored) {
                // the next publish retries
            }
        } catch (RuntimeException error) {
            // A full request queue throws at once instead of queueing without bound.
            done.completeExceptionally(redis.failed("inbox publish", error));
        }
        return done;
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
