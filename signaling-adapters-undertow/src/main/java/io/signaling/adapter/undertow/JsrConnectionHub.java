package io.signaling.adapter.undertow;

import io.signaling.ports.websocket.ConnectionHub;
import io.signaling.ports.websocket.WebSocketConnection;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The open connections of one endpoint, by id. A connection leaves it when its close begins. */
final class JsrConnectionHub implements ConnectionHub {

    private final ConcurrentHashMap<String, JsrWebSocketConnection> connections = new ConcurrentHashMap<>();

    void add(JsrWebSocketConnection connection) {
        connections.put(connection.id(), connection);
    }

    void remove(JsrWebSocketConnection connection) {
        connections.remove(connection.id(), connection);
    }

    @Override
    public Delivery send(String connectionId, String text) {
        Objects.requireNonNull(text, "text");
        JsrWebSocketConnection connection = connectionId == null ? null : connections.get(connectionId);
        if (connection == null) {
            return Delivery.UNKNOWN_CONNECTION;
        }
        return connection.offer(text, JsrWebSocketConnection.utf8Length(text), null) ? Delivery.QUEUED : Delivery.CLOSED;
    }

    @Override
    public int broadcast(String text) {
        Objects.requireNonNull(text, "text");
        // Sized once for all recipients: a broadcast must not rescan the text per connection.
        int bytes = JsrWebSocketConnection.utf8Length(text);
        int accepted = 0;
        for (JsrWebSocketConnection connection : connections.values()) {
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
        int bytes = JsrWebSocketConnection.utf8Length(text);
        int accepted = 0;
        for (String id : connectionIds) {
            JsrWebSocketConnection connection = id == null ? null : connections.get(id);
            if (connection != null && connection.offer(text, bytes, null)) {
                accepted++;
            }
        }
        return accepted;
    }

    @Override
    public boolean close(String connectionId, int code, String reason) {
        JsrWebSocketConnection connection = connectionId == null ? null : connections.get(connectionId);
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

    Collection<JsrWebSocketConnection> snapshot() {
        return java.util.List.copyOf(connections.values());
    }
}
