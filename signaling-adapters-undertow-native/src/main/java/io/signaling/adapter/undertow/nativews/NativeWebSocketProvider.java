package io.signaling.adapter.undertow.nativews;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.adapter.undertow.WebSocketEndpoint;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;

/**
 * WebSocket endpoints on undertow-core's native WebSocket API: the lean choice for large fleets
 * (no servlet deployment, fewer objects per connection). The only public entry of this module,
 * registered for {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * WebSocketEndpoint ws = new NativeWebSocketProvider().create(settings, listener, loggers, metrics, tracer);
 * ws.start();
 * Undertow server = Undertow.builder().addHttpListener(8080, "0.0.0.0")
 *         .setHandler(Handlers.path(httpRoutes).addPrefixPath(settings.path(), ws.handler())).build();
 * }</pre>
 *
 * <p>It behaves as the Jakarta adapter does (same contract tests, same metrics, spans and log
 * context). Thread-safe and stateless.
 */
public final class NativeWebSocketProvider implements UndertowWebSocketProvider {

    /** For {@link java.util.ServiceLoader}, and for direct use. */
    public NativeWebSocketProvider() {
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public String module() {
        return "signaling-adapters-undertow-native";
    }

    @Override
    public WebSocketEndpoint create(WebSocketSettings settings, WebSocketListener listener,
                                    LoggerFactory loggerFactory, Metrics metrics, Tracer tracer) {
        return new NativeWebSocketEndpoint(settings, listener, loggerFactory, metrics, tracer);
    }

    @Override
    public String toString() {
        return "NativeWebSocketProvider[" + module() + "]";
    }
}
