package io.signaling.adapter.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.event.connection.ConnectedEvent;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.log.Logger;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;

/**
 * The Lettuce client and its connections: one shared connection for every command but the inbox
 * read, and dedicated connections for blocking reads. Options make every wait bounded: a request
 * queue of fixed size, commands rejected at once while disconnected, and a timeout on each
 * command. Owns the up/down state of Redis (logged on each change, counted as reconnects).
 */
final class RedisConnections implements AutoCloseable {

    private final AbstractRedisClient client;
    private final boolean cluster;
    private final Duration commandTimeout;
    private volatile StatefulConnection<String, String> shared;
    private volatile RedisClusterAsyncCommands<String, String> async;
    // The lease and keeper's own connection, so that a request queue filled by cross-node
    // publishes (bounded, and refusing when full) can never refuse the node's liveness with them.
    private volatile StatefulConnection<String, String> controlConnection;
    private volatile RedisClusterAsyncCommands<String, String> control;
    private volatile boolean closed;
    private Thread connector;
    private final Logger log;
    private final Metrics.Counter commandErrors;
    private final Metrics.Counter reconnects;
    private final Metrics.Timer commandLatency;
    private final AtomicInteger openChannels = new AtomicInteger();
    private final Disposable events;
    private volatile boolean everConnected;
    private volatile boolean down;

    RedisConnections(List<RedisURI> uris, boolean cluster, Duration commandTimeout, int requestQueueSize,
                     Logger log, Metrics metrics) {
        this.cluster = cluster;
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
        this.log = log;
        this.commandErrors = metrics.counter("signaling.cluster.redis.errors",
                "Redis commands that failed, timed out or were rejected while disconnected", Tags.empty());
        this.reconnects = metrics.counter("signaling.cluster.redis.reconnects",
                "Connections to Redis re-established after a loss", Tags.empty());
        this.commandLatency = metrics.timer("signaling.cluster.redis.commands",
                "Latency of Redis commands and scripts the node waits for", Tags.empty());
        // Connecting includes a handshake that a cold JVM on a busy host can take seconds over;
        // it is not on any client's path, so it gets more room than a command.
        Duration connectTimeout = commandTimeout.compareTo(Duration.ofSeconds(10)) > 0 ? commandTimeout : Duration.ofSeconds(10);
        this.log.debug("redis connect timeout", "connect_timeout_ms", connectTimeout.toMillis());
        SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.builder().fixedTimeout(commandTimeout).build();
        for (RedisURI uri : uris) {
            // The URI's timeout bounds the connection handshake; TimeoutOptions bound every command.
            uri.setTimeout(connectTimeout);
        }
        if (cluster) {
            RedisClusterClient c = RedisClusterClient.create(uris);
            c.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    // A cluster connection opens its node connections lazily, and rejecting while one
                    // is still connecting refuses the first commands to it; here a command waits in the
                    // bounded queue instead, at most the command timeout.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .requestQueueSize(requestQueueSize)
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .build());
            this.client = c;
        } else {
            RedisClient c = RedisClient.create(uris.get(0));
            c.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(requestQueueSize)
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .build());
            this.client = c;
        }
        this.events = client.getResources().eventBus().get().subscribe(event -> {
            if (event instanceof ConnectedEvent) {
                if (openChannels.incrementAndGet() >= 1 && down) {
                    down = false;
                    reconnects.increment();
                    log.info("redis up: reconnected");
                }
                everConnected = true;
            } else if (event instanceof DisconnectedEvent) {
                if (openChannels.decrementAndGet() <= 0 && everConnected && !down) {
                    down = true;
                    log.warn("redis down: connection lost; commands are refused until it is back");
                }
            }
        });
        try {
            open();
        } catch (ClusterUnavailableException e) {
            // Redis may come up after the node (a deploy starting everything at once): the node
            // starts, its readiness check says redis DOWN, and this keeps trying in the background.
            down = true;
            log.warn("redis unreachable at start; connecting in the background", "error", e.getMessage());
            connector = new Thread(this::connectUntilOpen, "redis-connector");
            connector.setDaemon(true);
            connector.start();
        }
    }

    private void open() {
        StatefulConnection<String, String> connection;
        try {
            connection = connect();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new ClusterUnavailableException("cannot connect to redis: " + e.getMessage()
                    + (root != e ? " (" + root + ")" : ""), e);
        }
        StatefulConnection<String, String> second;
        try {
            second = connect();
        } catch (RuntimeException e) {
            connection.close();
            throw new ClusterUnavailableException("cannot connect to redis: " + e.getMessage(), e);
        }
        synchronized (this) {
            if (closed) {
                connection.close();
                second.close();
                return;
            }
            this.control = commandsOf(second);
            this.controlConnection = second;
            this.async = commandsOf(connection);
            this.shared = connection;
        }
    }

    private void connectUntilOpen() {
        long backoffMillis = 100;
        while (!closed && shared == null) {
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                return;
            }
            try {
                // Its connected event logs "redis up" and counts the reconnect.
                open();
            } catch (ClusterUnavailableException e) {
                backoffMillis = Math.min(2_000, backoffMillis * 2);
            }
        }
    }

    /** A new connection of its own (for blocking reads); the caller closes it. */
    StatefulConnection<String, String> connect() {
        if (cluster) {
            return ((RedisClusterClient) client).connect();
        }
        return ((RedisClient) client).connect();
    }

    @SuppressWarnings("unchecked")
    static RedisClusterAsyncCommands<String, String> commandsOf(StatefulConnection<String, String> connection) {
        if (connection instanceof StatefulRedisClusterConnection<?, ?> c) {
            return ((StatefulRedisClusterConnection<String, String>) c).async();
        }
        return ((StatefulRedisConnection<String, String>) connection).async();
    }

    /**
     * The shared connection's commands.
     *
     * @throws ClusterUnavailableException while no connection was ever opened (Redis unreachable since start)
     */
    RedisClusterAsyncCommands<String, String> async() {
        RedisClusterAsyncCommands<String, String> commands = async;
        if (commands == null) {
            commandErrors.increment();
            throw new ClusterUnavailableException("redis not connected yet");
        }
        return commands;
    }

    /**
     * The control connection's commands: the lease, the epoch and the node index, which must stay
     * answerable while the shared connection's queue is full of publishes.
     *
     * @throws ClusterUnavailableException while no connection was ever opened
     */
    RedisClusterAsyncCommands<String, String> control() {
        RedisClusterAsyncCommands<String, String> commands = control;
        if (commands == null) {
            commandErrors.increment();
            throw new ClusterUnavailableException("redis not connected yet");
        }
        return commands;
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    /** Whether the shared connection is up right now. */
    boolean isOpen() {
        StatefulConnection<String, String> connection = shared;
        return connection != null && connection.isOpen();
    }

    /** Waits for a command at most the command timeout; any failure becomes unavailable. */
    <T> T await(String what, RedisFuture<T> future) {
        long started = System.nanoTime();
        try {
            T result = future.get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
            commandLatency.recordNanos(System.nanoTime() - started);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw failed(what, e);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw failed(what, e);
        } catch (ExecutionException e) {
            throw failed(what, e.getCause());
        }
    }

    ClusterUnavailableException failed(String what, Throwable cause) {
        commandErrors.increment();
        String reason = cause instanceof TimeoutException ? "no answer within " + commandTimeout.toMillis() + " ms"
                : String.valueOf(cause.getMessage());
        return new ClusterUnavailableException("redis " + what + " failed: " + reason, cause);
    }

    void countError() {
        commandErrors.increment();
    }

    void recordLatency(long nanos) {
        commandLatency.recordNanos(nanos);
    }

    @Override
    public void close() {
        StatefulConnection<String, String> connection;
        StatefulConnection<String, String> second;
        synchronized (this) {
            closed = true;
            connection = shared;
            second = controlConnection;
        }
        if (connector != null) {
            connector.interrupt();
        }
        if (connection != null) {
            connection.close();
        }
        if (second != null) {
            second.close();
        }
        events.dispose();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
