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
