package io.signaling.adapter.undertow.jsr;

import io.signaling.adapter.undertow.websocket.Transport;
import io.undertow.websockets.jsr.UndertowSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One Jakarta WebSocket session's frames: the {@link Transport} hooks on its async remote. */
final class JsrTransport implements Transport {

    private static final ByteBuffer PING = ByteBuffer.wrap(new byte[0]).asReadOnlyBuffer();

    private final UndertowSession session;
    private final RemoteEndpoint.Async remote;
    private final SendHandler sendHandler;

    JsrTransport(UndertowSession session, WriteCompletion completion) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.sendHandler = result -> completion.writeCompleted(result.isOK() ? null : result.getException());
    }

    @Override
    public void sendText(String text) {
        remote.sendText(text, sendHandler);
    }

    @Override
    public void sendClose(int code, String reason) throws IOException {
        // Reports onClose synchronously (see ManagedConnection.onTransportClosed) with our code.
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    }

    @Override
    public void sendPing() throws IOException {
        remote.sendPing(PING.duplicate());
    }

    @Override
    public void abort() {
        session.forceClose();
    }
}
