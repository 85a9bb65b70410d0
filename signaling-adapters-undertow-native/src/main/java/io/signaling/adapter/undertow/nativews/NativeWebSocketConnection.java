package io.signaling.adapter.undertow.nativews;

import io.signaling.adapter.undertow.websocket.EndpointSupport;
import io.signaling.adapter.undertow.websocket.ManagedConnection;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.websocket.CloseCodes;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.xnio.IoUtils;

/**
 * One native {@link WebSocketChannel}: the transport hooks of {@link ManagedConnection} on
 * {@link WebSockets}. It is its own send callback, so a connection costs no extra object for it.
 */
final class NativeWebSocketConnection extends ManagedConnection implements WebSocketCallback<Void> {

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

    NativeWebSocketConnection(String id, EndpointSupport endpoint, WebSocketChannel channel,
                              Map<String, List<String>> requestHeaders, TraceContext connectionContext) {
        super(id, endpoint, channel, requestHeaders, connectionContext);
    }

    @Override
    protected void transportSend(String text) {
        WebSockets.sendText(text, channel(), this);
    }

    @Override
    public void complete(WebSocketChannel channel, Void context) {
        writeCompleted(null);
    }

    @Override
    public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
        writeCompleted(throwable);
    }

    @Override
    protected void transportClose(int code, String reason) {
        WebSockets.sendClose(code, reason, channel(), ABORT_ON_CLOSE_FAILURE);
    }

    @Override
    protected void transportPing() {
        WebSockets.sendPing(PING.duplicate(), channel(), null);
    }

    @Override
    protected void transportAbort() {
        IoUtils.safeClose(channel());
    }

    @Override
    protected void onChannelClosed() {
        // A socket that ended without a close frame either way (a drop) is reported as 1006;
        // after a close frame the cause is set already and this changes nothing.
        onTransportClosed(CloseCodes.ABNORMAL, "");
        super.onChannelClosed();
    }
}
