package io.signaling.adapter.undertow;

import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import java.util.Objects;
import org.xnio.XnioWorker;

/**
 * Makes WebSocket endpoints on Undertow. The only public entry to this package's WebSocket
 * adapter; the returned {@link WebSocketEndpoint} is mounted on the application's own listener.
 *
 * <pre>{@code
 * WebSocketEndpoint ws = UndertowWebSockets.jsr(settings, listener, loggers, metrics, tracer);
 * ws.start();
 * Undertow server = Undertow.builder().addHttpListener(8080, "0.0.0.0")
 *         .setHandler(Handlers.path(httpRoutes).addPrefixPath(settings.path(), ws.handler())).build();
 * }</pre>
 */
public final class UndertowWebSockets {

    private UndertowWebSockets() {
    }

    /**
     * An endpoint on undertow-websockets-jsr (Jakarta WebSocket). Settings are validated here: a
     * non-positive limit or timeout, or a malformed path, throws {@link IllegalArgumentException}
     * naming the configuration key.
     */
    public static WebSocketEndpoint jsr(WebSocketSettings settings, WebSocketListener listener,
                                        LoggerFactory loggerFactory, Metrics metrics, Tracer tracer) {
        return new JsrWebSocketEndpoint(settings, listener, loggerFactory, metrics, tracer, null);
    }

    /**
     * As {@link #jsr(WebSocketSettings, WebSocketListener, LoggerFactory, Metrics, Tracer)}, giving
     * the Jakarta container the XNIO worker to use (typically the server's own) instead of a small
     * private one. The caller keeps ownership of the worker.
     */
    public static WebSocketEndpoint jsr(WebSocketSettings settings, WebSocketListener listener,
                                        LoggerFactory loggerFactory, Metrics metrics, Tracer tracer,
                                        XnioWorker worker) {
        return new JsrWebSocketEndpoint(settings, listener, loggerFactory, metrics, tracer,
                Objects.requireNonNull(worker, "worker"));
    }
}
