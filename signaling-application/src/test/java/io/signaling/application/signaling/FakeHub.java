package io.signaling.application.signaling;

import io.signaling.ports.websocket.ConnectionHub;
import io.signaling.ports.websocket.WebSocketConnection;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/** An in-memory hub over {@link FakeConnection}s, as the WebSocket adapter would keep them. */
final class FakeHub implements ConnectionHub {

    private final ConcurrentMap<String, FakeConnection> connections = new ConcurrentHashMap<>();

    FakeConnection open(String id) {
        FakeConnection connection = new FakeConnection(id);
        connections.put(id, connection);
        return connection;
    }

    void remove(String id) {
        connections.remove(id);
    }

    @Override
    public Delivery send(String connectionId, String text) {
        FakeConnection connection = connections.get(connectionId);
        if (connection == null) {
            return Delivery.UNKNOWN_CONNECTION;
        }
        if (!connection.isOpen()) {
            return Delivery.CLOSED;
        }
        connection.send(text);
        return Delivery.QUEUED;
    }

    @Override
    public int broadcast(String text) {
        return broadcast(connections.keySet(), text);
    }

    @Override
    public int broadcast(Collection<String> connectionIds, String text) {
        int accepted = 0;
        for (String id : connectionIds) {
            if (send(id, text) == Delivery.QUEUED) {
                accepted++;
            }
        }
        return accepted;
    }

    @Override
    public boolean close(String connectionId, int code, String reason) {
        FakeConnection connection = connections.get(connectionId);
        if (connection == null) {
            return false;
        }
        connection.close(code, reason);
        return true;
    }

    @Override
    public Optional<WebSocketConnection> find(String connectionId) {
        return Optional.ofNullable(connections.get(connectionId));
    }

    @Override
    public int count() {
        return connections.size();
    }

    @Override
    public void forEach(Consumer<WebSocketConnection> action) {
        connections.values().forEach(action);
    }
}
