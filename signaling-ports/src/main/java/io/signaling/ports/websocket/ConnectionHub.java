package io.signaling.ports.websocket;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The registry of open connections on this node.
 *
 * <p>Direction: outbound, implemented by the WebSocket adapter, used by the core to reach
 * connections by id. Thread-safety: safe for concurrent use; iteration is weakly consistent.
 * An unknown id is an ordinary result ({@link Delivery#UNKNOWN_CONNECTION}), never an exception.
 */
public interface ConnectionHub {

    /** The immediate outcome of handing a message to a connection's queue. */
    enum Delivery {
        QUEUED,
        UNKNOWN_CONNECTION,
        CLOSED
    }

    Delivery send(String connectionId, String text);

    /** Queues the message to every open connection; returns how many accepted it. */
    int broadcast(String text);

    /** Queues the message to each of the given ids; unknown ids are skipped. Returns how many accepted it. */
    int broadcast(Collection<String> connectionIds, String text);

    /** Closes one connection; {@code false} when the id is unknown. */
    boolean close(String connectionId, int code, String reason);

    Optional<WebSocketConnection> find(String connectionId);

    int count();

    void forEach(Consumer<WebSocketConnection> action);
}
