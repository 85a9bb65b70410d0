package io.signaling.ports.websocket;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One open WebSocket, as the core sees it.
 *
 * <p>Direction: outbound, implemented by the WebSocket adapter. Thread-safety: every method may be
 * called from any thread, concurrently; frames of concurrent sends never interleave, and sends
 * from one thread go out in the order made.
 */
public interface WebSocketConnection {

    /** The server-assigned id, unique on this node, URL-safe. */
    String id();

    InetSocketAddress remoteAddress();

    /** The headers of the upgrade request, names in lower case. */
    Map<String, List<String>> requestHeaders();

    /**
     * Queues a text message and returns at once, never blocking the caller. The stage completes
     * when the frame is written, or exceptionally (with {@link SendFailedException}) when the
     * connection is closed or its outbound queue overflows; in the overflow case, and when a
     * write does not complete within the send timeout, the adapter closes the connection as a slow
     * consumer. Callers may ignore the stage.
     */
    CompletionStage<Void> send(String text);

    /**
     * {@link #send(String)} for a text whose UTF-8 size is known already: adapters that count
     * bytes (queue bounds, metrics) use the carried size instead of measuring again.
     */
    default CompletionStage<Void> send(TextFrame frame) {
        return send(frame.text());
    }

    /** Starts a close handshake with this code and reason; idempotent. */
    void close(int code, String reason);

    /**
     * Queues {@code last} as the final message and starts the close handshake after it, like
     * {@link #send(TextFrame)} then {@link #close}, with one difference: the flush of what was
     * queued before is bounded by {@code flushBudget}. When the budget passes with messages still
     * waiting (a peer that reads slower than it is sent to), the waiting ones but {@code last} are
     * dropped (the write in flight completes), so that {@code last} and the close frame still go
     * out in time. For a shutdown drain: {@code goaway}, then 1001, within the drain's deadline.
     * The caller serializes its own sends to this connection around the call. The default is
     * {@code send} then {@code close}, without the bound.
     */
    default void sendLastAndClose(TextFrame last, int code, String reason, java.time.Duration flushBudget) {
        send(last);
        close(code, reason);
    }

    boolean isOpen();

    /** The subprotocol selected at the upgrade ({@code Sec-WebSocket-Protocol}), or {@code ""} for none. */
    default String subprotocol() {
        return "";
    }

    /**
     * The decoded query parameters of the upgrade request (a name may repeat); empty when the
     * adapter does not keep them.
     */
    default java.util.Map<String, java.util.List<String>> queryParameters() {
        return java.util.Map.of();
    }

    /** The first value of the upgrade's query parameter {@code name}, or {@code null}. */
    default String queryParameter(String name) {
        java.util.List<String> values = queryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** What the listener's {@link WebSocketListener#onUpgrade} granted this connection, if anything. */
    default java.util.Optional<io.signaling.ports.auth.AccessGrant> grant() {
        return java.util.Optional.empty();
    }

    /**
     * Whether this connection's messages get spans: decided once at the handshake (its trace is
     * sampled, and it falls within the configured share of such connections). The adapter's own
     * per-message span follows it, and so should the listener's. The default traces them all.
     */
    default boolean tracesMessages() {
        return true;
    }

    /** A value the core attaches to the connection (its session state); adapter stores it. */
    Object attachment();

    void attach(Object attachment);
}
