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
 *
 * <p>Behaviour worth knowing when operating it:
 * <ul>
 *   <li>Connection ids are 128 random bits (SecureRandom) in unpadded base64url.</li>
 *   <li>The server pings every {@code pingInterval}; a connection with no inbound frame and no pong
 *       within {@code idleTimeout} is closed with 1001 and reason {@code "idle timeout"}.</li>
 *   <li>Text over {@code maxMessageBytes} closes with 1009, any binary frame with 1003.</li>
 *   <li>Each connection has one write in flight and a queue bounded by {@code sendQueueMessages}
 *       and {@code sendQueueBytes} (UTF-8, the in-flight message included); overflow, or a write
 *       stuck beyond {@code sendTimeout}, closes that connection with 1008 {@code "slow consumer"}.</li>
 *   <li>An empty {@code allowedOrigins} allows every origin (the local profile); otherwise an
 *       upgrade whose {@code Origin} is not listed (case-insensitive) gets 403. An upgrade without
 *       {@code Origin} is not from a browser page, which is what the list protects against, and is
 *       allowed.</li>
 *   <li>The Jakarta deployment runs in a servlet container of its own, not
 *       {@code Servlets.defaultContainer()}, so that endpoints share no global state.</li>
 * </ul>
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
