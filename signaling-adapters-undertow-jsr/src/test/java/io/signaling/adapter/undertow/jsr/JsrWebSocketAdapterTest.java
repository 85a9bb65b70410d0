package io.signaling.adapter.undertow.jsr;

import io.signaling.adapter.undertow.websocket.EndpointTestServer;
import io.signaling.ports.websocket.WebSocketContract;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;

/** The WebSocket port contract against the Jakarta (undertow-websockets-jsr) adapter on a real Undertow. */
class JsrWebSocketAdapterTest extends WebSocketContract {

    @Override
    protected ServerUnderTest start(WebSocketSettings settings, WebSocketListener listener) throws Exception {
        return EndpointTestServer.start(new JsrWebSocketProvider(), settings, listener);
    }
}
