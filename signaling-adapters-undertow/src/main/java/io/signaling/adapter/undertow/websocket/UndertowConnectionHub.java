package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.websocket.ConnectionHub;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The open connections of one endpoint, by id. A connection joins it when it opens and leaves it
 * when its close begins, so sends to a closing connection report {@code UNKNOWN_CONNECTION} or
 * {@code CLOSED}, never block.
 *
 * <p>Thread-safety: safe from any thread.
 */
public final class UndertowConnectionHub implements ConnectionHub {

    private final ConcurrentHashMap<String, ManagedConnection> connections = new ConcurrentHashMap<>();

    void add(ManagedConnection connection) {
        connections.put(connection.id(), connection);
    }

    void remove(ManagedConnection connection) {
        connections.remove(connection.id(), connection);
    }

    @Override
    public Delivery send(String connectionId, String text) {
        Objects.requireNonNull(text, "text");
        ManagedConnection connection = connectionId == null ? null : connections.get(connectionId);
        if (connection == null) {
            return Delivery.UNKNOWN_CONNECTION;
        }
        return connection.offer(text, TextFrame.utf8Length(text), null) ? Delivery.QUEUED : Delivery.CLOSED;
    }

    @Override
    public int broadcast(String text) {
        Objects.requireNonNull(text, "text");
        // Sized once for all recipients: a broadcast must not rescan the text per connection.
        int bytes = TextFrame.utf8Length(text);
        int accepted = 0;
        for (ManagedConnection connection : connections.values()) {
            if (connection.offer(text, bytes, null)) {
                accepted++;
            }
        }
        return accepted;
    }

    @Override
    public int broadcast(Collection<String> connectionIds, String text) {
        Objects.requireNonNull(connectionIds, "connectionIds");
        Objects.requireNonNull(text, "text");
        int bytes = TextFrame.utf8Length(text);
        int accepted = 0;
        for (String id : connectionIds) {
            ManagedConnection connection = id == null ? null : connections.get(id);
            if (connection != null && connection.offer(text, bytes, null)) {
                accepted++;
            }
        }
        return accepted;
    }

    @Override
    public boolean close(String connectionId, int code, String reason) {
        ManagedConnection connection = connectionId == null ? null : connections.get(connectionId);
        if (connection == null) {
            return false;
        }
        connection.close(code, reason);
        return true;
    }

    @Override
    public Optional<WebSocketConnection> find(String connectionId) {
        return connectionId == null ? Optional.empty() : Optional.ofNullable(connections.get(connectionId));
    }

    @Override
    public int count() {
        return connections.size();
    }

    @Override
    public void forEach(Consumer<WebSocketConnection> action) {
        Objects.requireNonNull(action, "action");
        connections.values().forEach(action);
    }

    /**
     * UTF-8 bytes waiting to be written to the open connections: summed at each call (a scrape),
     * so the send path keeps no shared counter.
     */
    long pendingBytes() {
        long total = 0;
        for (ManagedConnection connection : connections.values()) {
            total += connection.pendingBytes();
        }
        return total;
    }

    /** A copy of the open connections, for the drain. */
    Collection<ManagedConnection> snapshot() {
        return java.util.List.copyOf(connections.values());
    }
}
