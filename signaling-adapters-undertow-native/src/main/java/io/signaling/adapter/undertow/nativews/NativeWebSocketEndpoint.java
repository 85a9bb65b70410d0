package io.signaling.adapter.undertow.nativews;

import io.signaling.adapter.undertow.WebSocketEndpoint;
import io.signaling.adapter.undertow.websocket.EndpointSupport;
import io.signaling.adapter.undertow.websocket.EndpointSupport.Handshake;
import io.signaling.adapter.undertow.websocket.UndertowConnectionHub;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import io.undertow.websockets.core.protocol.version07.Hybi07Handshake;
import io.undertow.websockets.core.protocol.version08.Hybi08Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The native endpoint: the shared front handler (admission, handshake capture) in front of
 * undertow-core's {@link WebSocketProtocolHandshakeHandler}; each upgraded {@link WebSocketChannel}
 * becomes a {@link NativeWebSocketConnection} read by a {@link NativeFrameListener}.
 */
final class NativeWebSocketEndpoint implements WebSocketEndpoint {

    // The upgrade callback runs after the response, outside the request's span: carry what it needs.
    private static final AttachmentKey<Handshake> HANDSHAKE = AttachmentKey.create(Handshake.class);

    private final EndpointSupport support;
    private final WebSocketSettings settings;
    private volatile HttpHandler upgrade;
    private final HttpHandler frontHandler = this::handleRequest;

    NativeWebSocketEndpoint(WebSocketSettings settings, WebSocketListener listener, LoggerFactory loggerFactory,
                            Metrics metrics, Tracer tracer) {
        this.support = new EndpointSupport(settings, listener, loggerFactory, metrics, tracer,
                NativeWebSocketEndpoint.class);
        this.settings = support.settings();
    }

    // ---------------------------------------------------------------- WebSocketEndpoint

    @Override
    public HttpHandler handler() {
        return frontHandler;
    }

    @Override
    public UndertowConnectionHub hub() {
        return support.hub();
    }

    @Override
    public void stopAccepting() {
        support.stopAccepting();
    }

    @Override
    public boolean isAccepting() {
        return support.isAccepting();
    }

    @Override
    public String name() {
        return "websocket " + settings.path();
    }

    @Override
    public synchronized void start() {
        // The listener's subprotocols are offered through Undertow's own handshakes, which select
        // the one the client asked for; asked at start, when the listener is fully wired.
        Set<String> subprotocols = new LinkedHashSet<>(support.subprotocols());
        upgrade = new WebSocketProtocolHandshakeHandler(List.of(new Hybi13Handshake(subprotocols, false),
                new Hybi08Handshake(subprotocols, false), new Hybi07Handshake(subprotocols, false)),
                this::onConnect, NativeWebSocketEndpoint::unsupportedHandshake);
        support.started();
    }

    @Override
    public synchronized boolean stop(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        boolean clean = support.drain(deadline);
        support.logger().info("websocket endpoint stopped", "clean", clean);
        return clean;
    }

    // ---------------------------------------------------------------- I/O thread

    private void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpHandler handshake = upgrade;
        if (!support.admit(exchange) || handshake == null) {
            return;
        }
        exchange.putAttachment(HANDSHAKE, support.handshake(exchange));
        handshake.handleRequest(exchange);
    }

    private static void unsupportedHandshake(HttpServerExchange exchange) {
        EndpointSupport.problem(exchange, 400,
                "unsupported WebSocket handshake: Sec-WebSocket-Version 13 and Sec-WebSocket-Key are required");
    }

    private void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Handshake handshake = exchange.getAttachment(HANDSHAKE);
        if (handshake == null) {
            handshake = Handshake.unknown();
        }
        String id = support.newConnectionId();
        TraceContext connectionContext = support.openSpan(id, handshake.context());
        NativeWebSocketConnection connection = new NativeWebSocketConnection(id, support, channel,
                handshake.headers(), connectionContext);
        // Our own idle timeout governs (pings we send must not count as activity), whatever
        // idle option an embedding server gave its listener.
        channel.setIdleTimeout(0);
        channel.getReceiveSetter().set(new NativeFrameListener(connection, settings.maxMessageBytes()));
        support.register(connection, handshake);
        channel.resumeReceives();
    }
}
