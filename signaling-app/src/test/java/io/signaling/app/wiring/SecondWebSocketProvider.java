package io.signaling.app.wiring;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.adapter.undertow.WebSocketEndpoint;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;

/** A second adapter "module" for the two-on-the-classpath case; never asked to create anything. */
public final class SecondWebSocketProvider implements UndertowWebSocketProvider {

    static final String MODULE = "signaling-adapters-undertow-second";

    public SecondWebSocketProvider() {
    }

    @Override
    public String name() {
        return "second";
    }

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public WebSocketEndpoint create(WebSocketSettings settings, WebSocketListener listener,
                                    LoggerFactory loggerFactory, Metrics metrics, Tracer tracer) {
        throw new UnsupportedOperationException("a selection test double");
    }
}
