package io.signaling.adapter.undertow.nativews;

import io.signaling.adapter.undertow.websocket.EndpointTestServer;
import io.signaling.ports.websocket.WebSocketContract;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;

/** The WebSocket port contract against the native undertow-core adapter on a real Undertow. */
class NativeWebSocketAdapterTest extends WebSocketContract {

    @Override
    protected ServerUnderTest start(WebSocketSettings settings, WebSocketListener listener) throws Exception {
        return EndpointTestServer.start(new NativeWebSocketProvider(), settings, listener);
    }
}
