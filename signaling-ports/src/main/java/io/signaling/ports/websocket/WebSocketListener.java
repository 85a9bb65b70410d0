package io.signaling.ports.websocket;

/**
 * What the core does with connection events.
 *
 * <p>Direction: inbound, implemented by the core (the signaling use case, or a test echo), called
 * by the WebSocket adapter. Thread-safety: events of one connection are delivered one at a time,
 * in order ({@code onOpen} first, {@code onClose} last and exactly once), possibly on different
 * threads; events of different connections arrive concurrently. Callbacks must not block: they
 * run on the adapter's I/O threads. Every method defaults to a no-op.
 */
public interface WebSocketListener {

    /**
     * Decides an upgrade before it happens (access tokens are checked here). Called on an I/O
     * thread: must not block. A {@link UpgradeDecision.Refuse} is answered with its HTTP status and
     * no socket is opened; an {@link UpgradeDecision.Accept}'s grant is the new connection's
     * {@link WebSocketConnection#grant()}. The default accepts every upgrade anonymously.
     */
    default UpgradeDecision onUpgrade(UpgradeRequest request) {
        return UpgradeDecision.accept();
    }

    /**
     * The WebSocket subprotocols this listener speaks, most preferred first; the adapter selects
     * the first one the client offered, or none (the client then speaks the base protocol). The
     * default is none.
     */
    default java.util.List<String> subprotocols() {
        return java.util.List.of();
    }

    default void onOpen(WebSocketConnection connection) {
    }

    default void onText(WebSocketConnection connection, String text) {
    }

    /**
     * A text message with the UTF-8 size the adapter measured while reading it; adapters call this
     * one. By default it forwards the text to {@link #onText(WebSocketConnection, String)}; a
     * listener that checks sizes overrides it to use the carried size.
     */
    default void onText(WebSocketConnection connection, TextFrame frame) {
        onText(connection, frame.text());
    }

    /**
     * The connection is gone, whoever closed it. For a drop without a close frame the code is
     * {@link CloseCodes#ABNORMAL} (1006); for an idle timeout, {@link CloseCodes#IDLE_TIMEOUT_REASON}
     * is the reason.
     */
    default void onClose(WebSocketConnection connection, int code, String reason) {
    }

    /** A transport error; {@code onClose} follows. */
    default void onError(WebSocketConnection connection, Throwable error) {
    }
}
