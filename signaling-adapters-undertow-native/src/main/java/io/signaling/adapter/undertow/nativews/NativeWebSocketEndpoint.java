package io.signaling.adapter.undertow.nativews;

import io.signaling.adapter.undertow.websocket.EndpointSupport;
import io.signaling.adapter.undertow.websocket.EndpointSupport.Handshake;
import io.signaling.adapter.undertow.websocket.ManagedConnection;
import io.signaling.adapter.undertow.websocket.ManagedEndpoint;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.protocol.version07.Hybi07Handshake;
import io.undertow.websockets.core.protocol.version08.Hybi08Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;

/**
 * The native endpoint: the shared front handler (admission, handshake capture) in front of
 * undertow-core's {@link WebSocketProtocolHandshakeHandler}; each upgraded {@link WebSocketChannel}
 * becomes a {@link ManagedConnection} over a {@link NativeTransport}, read by a {@link NativeFrameListener}.
 * Nothing to deploy or release: the handshake handler is made at start (with the listener's subprotocols).
 */
final class NativeWebSocketEndpoint extends ManagedEndpoint {

    // The upgrade callback runs after the response, outside the request's span: carry what it needs.
    private static final AttachmentKey<Handshake> HANDSHAKE = AttachmentKey.create(Handshake.class);

    private volatile HttpHandler upgrade;

    NativeWebSocketEndpoint(WebSocketSettings settings, WebSocketListener listener, LoggerFactory loggerFactory,
                            Metrics metrics, Tracer tracer) {
        super(settings, listener, loggerFactory, metrics, tracer);
    }

    @Override
    protected void startTransport() {
        // The listener's subprotocols go to Undertow's own handshakes, which select the one the
        // client asked for; asked at start, when the listener is fully wired.
        Set<String> subprotocols = new LinkedHashSet<>(subprotocols());
        upgrade = new WebSocketProtocolHandshakeHandler(List.of(new Hybi13Handshake(subprotocols, false),
                new Hybi08Handshake(subprotocols, false), new Hybi07Handshake(subprotocols, false)),
                this::onConnect, NativeWebSocketEndpoint::unsupportedHandshake);
    }

    // ---------------------------------------------------------------- I/O thread

    @Override
    protected void upgrade(HttpServerExchange exchange, Handshake handshake) throws Exception {
        exchange.putAttachment(HANDSHAKE, handshake);
        HttpHandler handshakes = upgrade;
        if (handshakes == null) {
            EndpointSupport.problem(exchange, 503, "the WebSocket endpoint is not running");
            return;
        }
        handshakes.handleRequest(exchange);
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
        ManagedConnection connection = connect(channel, handshake, completion -> new NativeTransport(channel, completion));
        // Our own idle timeout governs (pings we send must not count as activity), whatever
        // idle option an embedding server gave its listener.
        channel.setIdleTimeout(0);
        channel.getReceiveSetter().set(new NativeFrameListener(connection, settings().maxMessageBytes()));
        register(connection);
        channel.resumeReceives();
    }
}
