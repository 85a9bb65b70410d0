package io.signaling.adapter.undertow.websocket;

import java.io.IOException;

/**
 * What a WebSocket flavour does with one socket's frames: the four hooks its Undertow API
 * provides. A flavour implements it; {@link EndpointSupport#connect} builds the connection around it.
 *
 * <p>Thread-safety: {@link #sendText} is never called while a previous write is in flight; the
 * other methods may be called from any thread.
 */
public interface Transport {

    /** Made by the flavour once the connection's outbound queue exists, so writes can report to it. */
    @FunctionalInterface
    interface Factory {
        Transport create(WriteCompletion completion);
    }

    /** Where a transport reports the end of the write in flight. */
    @FunctionalInterface
    interface WriteCompletion {
        /** Exactly once per {@link #sendText}, possibly inline within it: {@code failure} is null on success. */
        void writeCompleted(Throwable failure);
    }

    /** Starts the asynchronous write of one text message; its end goes to the {@link WriteCompletion}. */
    void sendText(String text);

    /** Sends our close frame; the peer's answer or the grace-period abort ends the socket. */
    void sendClose(int code, String reason) throws IOException;

    /** Sends an empty ping frame. */
    void sendPing() throws IOException;

    /** Drops the socket at once, without a close handshake. */
    void abort();

    /**
     * Whether the channel closing is itself the report of a drop (1006) when no close frame was
     * seen: true for a transport that has no close callback of its own for that case.
     */
    default boolean channelCloseReportsDrop() {
        return false;
    }
}
