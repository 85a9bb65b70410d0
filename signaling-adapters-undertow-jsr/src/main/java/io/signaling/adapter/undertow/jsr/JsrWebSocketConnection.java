package io.signaling.adapter.undertow.jsr;

import io.signaling.adapter.undertow.websocket.EndpointSupport;
import io.signaling.adapter.undertow.websocket.ManagedConnection;
import io.signaling.ports.trace.TraceContext;
import io.undertow.websockets.jsr.UndertowSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** One Jakarta WebSocket session: the transport hooks of {@link ManagedConnection} on its async remote. */
final class JsrWebSocketConnection extends ManagedConnection {

    private static final ByteBuffer PING = ByteBuffer.wrap(new byte[0]).asReadOnlyBuffer();

    private final UndertowSession session;
    private final RemoteEndpoint.Async remote;
    private final SendHandler sendHandler = result -> writeCompleted(result.isOK() ? null : result.getException());

    JsrWebSocketConnection(String id, EndpointSupport endpoint, UndertowSession session,
                           Map<String, List<String>> requestHeaders, TraceContext connectionContext) {
        super(id, endpoint, session.getWebSocketChannel(), requestHeaders, connectionContext);
        this.session = session;
        this.remote = session.getAsyncRemote();
    }

    @Override
    protected void transportSend(String text) {
        remote.sendText(text, sendHandler);
    }

    @Override
    protected void transportClose(int code, String reason) throws IOException {
        // Reports onClose synchronously (see onTransportClosed) with our code.
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    }

    @Override
    protected void transportPing() throws IOException {
        remote.sendPing(PING.duplicate());
    }

    @Override
    protected void transportAbort() {
        session.forceClose();
    }
}
