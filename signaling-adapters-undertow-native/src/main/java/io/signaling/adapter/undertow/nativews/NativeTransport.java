package io.signaling.adapter.undertow.nativews;

import io.signaling.adapter.undertow.websocket.Transport;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import org.xnio.IoUtils;

/**
 * One native {@link WebSocketChannel}'s frames: the {@link Transport} hooks on {@link WebSockets}.
 * It is its own send callback, so a connection costs no extra object for it.
 */
final class NativeTransport implements Transport, WebSocketCallback<Void> {

    private static final ByteBuffer PING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** A close frame that cannot be written leaves nothing to wait for. */
    private static final WebSocketCallback<Void> ABORT_ON_CLOSE_FAILURE = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, Void context) {
            // the peer's close frame, or the grace-period abort, ends the socket
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
            IoUtils.safeClose(channel);
        }
    };

    private final WebSocketChannel channel;
    private final WriteCompletion completion;

    NativeTransport(WebSocketChannel channel, WriteCompletion completion) {
        this.channel = channel;
        this.completion = completion;
    }

    @Override
    public void sendText(String text) {
        WebSockets.sendText(text, channel, this);
    }

    @Override
    public void complete(WebSocketChannel channel, Void context) {
        completion.writeCompleted(null);
    }

    @Override
    public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
        completion.writeCompleted(throwable);
    }

    @Override
    public void sendClose(int code, String reason) {
        WebSockets.sendClose(code, reason, channel, ABORT_ON_CLOSE_FAILURE);
    }

    @Override
    public void sendPing() {
        WebSockets.sendPing(PING.duplicate(), channel, null);
    }

    @Override
    public void abort() {
        IoUtils.safeClose(channel);
    }

    /** A socket that ended without a close frame either way (a drop) is reported as 1006. */
    @Override
    public boolean channelCloseReportsDrop() {
        return true;
    }
}
