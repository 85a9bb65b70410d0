package io.signaling.app;

import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.WebSocketListener;

import java.util.Objects;

/**
 * Breaks the construction cycle between the WebSocket endpoint (which needs a listener) and the
 * signaling service (which needs the endpoint's hub): the endpoint gets this forwarder, and the
 * service is plugged in before the endpoint starts accepting connections.
 */
final class ForwardingListener implements WebSocketListener {

    private volatile WebSocketListener target;

    void target(WebSocketListener target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    private WebSocketListener target() {
        WebSocketListener t = target;
        if (t == null) {
            throw new IllegalStateException("no WebSocket listener wired before the endpoint started");
        }
        return t;
    }

    @Override
    public void onOpen(WebSocketConnection connection) {
        target().onOpen(connection);
    }

    @Override
    public void onText(WebSocketConnection connection, String text) {
        target().onText(connection, text);
    }

    @Override
    public void onClose(WebSocketConnection connection, int code, String reason) {
        target().onClose(connection, code, reason);
    }

    @Override
    public void onError(WebSocketConnection connection, Throwable error) {
        target().onError(connection, error);
    }
}
