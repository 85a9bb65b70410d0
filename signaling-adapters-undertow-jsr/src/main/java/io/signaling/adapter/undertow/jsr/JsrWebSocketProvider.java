package io.signaling.adapter.undertow.jsr;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.adapter.undertow.WebSocketEndpoint;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import java.util.Objects;
import org.xnio.XnioWorker;

/**
 * WebSocket endpoints on undertow-websockets-jsr (Jakarta WebSocket): the portable default. The
 * only public entry of this module, registered for {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * WebSocketEndpoint ws = new JsrWebSocketProvider().create(settings, listener, loggers, metrics, tracer);
 * ws.start();
 * Undertow server = Undertow.builder().addHttpListener(8080, "0.0.0.0")
 *         .setHandler(Handlers.path(httpRoutes).addPrefixPath(settings.path(), ws.handler())).build();
 * }</pre>
 *
 * <p>Only the WebSocket path goes through a servlet deployment, in a servlet container of its own
 * (not {@code Servlets.defaultContainer()}) so that endpoints share no global state; every HTTP
 * route stays on plain undertow-core handlers. Thread-safe and stateless.
 */
public final class JsrWebSocketProvider implements UndertowWebSocketProvider {

    /** For {@link java.util.ServiceLoader}, and for direct use. */
    public JsrWebSocketProvider() {
    }

    @Override
    public String name() {
        return "jsr";
    }

    @Override
    public String module() {
        return "signaling-adapters-undertow-jsr";
    }

    @Override
    public WebSocketEndpoint create(WebSocketSettings settings, WebSocketListener listener,
                                    LoggerFactory loggerFactory, Metrics metrics, Tracer tracer) {
        return new JsrWebSocketEndpoint(settings, listener, loggerFactory, metrics, tracer, null);
    }

    /**
     * As {@link #create(WebSocketSettings, WebSocketListener, LoggerFactory, Metrics, Tracer)}, giving
     * the Jakarta container the XNIO worker to use (typically the server's own) instead of a small
     * private one. The caller keeps ownership of the worker.
     */
    public WebSocketEndpoint create(WebSocketSettings settings, WebSocketListener listener,
                                    LoggerFactory loggerFactory, Metrics metrics, Tracer tracer,
                                    XnioWorker worker) {
        return new JsrWebSocketEndpoint(settings, listener, loggerFactory, metrics, tracer,
                Objects.requireNonNull(worker, "worker"));
    }

    @Override
    public String toString() {
        return "JsrWebSocketProvider[" + module() + "]";
    }
}
