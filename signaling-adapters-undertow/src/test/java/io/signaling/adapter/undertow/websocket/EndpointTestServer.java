package io.signaling.adapter.undertow.websocket;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.adapter.undertow.WebSocketEndpoint;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.ConnectionHub;
import io.signaling.ports.websocket.WebSocketContract;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/** An Undertow on a free loopback port with only one provider's WebSocket endpoint mounted. */
public final class EndpointTestServer implements WebSocketContract.ServerUnderTest {

    private final WebSocketEndpoint endpoint;
    private final Undertow undertow;
    private final URI uri;

    private EndpointTestServer(WebSocketEndpoint endpoint, Undertow undertow, URI uri) {
        this.endpoint = endpoint;
        this.undertow = undertow;
        this.uri = uri;
    }

    public static EndpointTestServer start(UndertowWebSocketProvider provider, WebSocketSettings settings,
                                           WebSocketListener listener) throws Exception {
        return start(provider, settings, listener, LoggerFactory.noop(), Metrics.noop(), Tracer.noop());
    }

    public static EndpointTestServer start(UndertowWebSocketProvider provider, WebSocketSettings settings,
                                           WebSocketListener listener, LoggerFactory loggers, Metrics metrics,
                                           Tracer tracer) throws Exception {
        WebSocketEndpoint endpoint = provider.create(settings, listener, loggers, metrics, tracer);
        endpoint.start();
        Undertow undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(2)
                .setHandler(Handlers.path().addPrefixPath(settings.path(), endpoint.handler()))
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            endpoint.stop(Duration.ofSeconds(1));
            throw e;
        }
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return new EndpointTestServer(endpoint, undertow, URI.create("ws://127.0.0.1:" + port + settings.path()));
    }

    public WebSocketEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public ConnectionHub hub() {
        return endpoint.hub();
    }

    @Override
    public boolean drain(Duration timeout) throws Exception {
        return endpoint.stop(timeout);
    }

    @Override
    public void close() throws Exception {
        try {
            endpoint.stop(Duration.ofSeconds(5));
        } finally {
            undertow.stop();
        }
    }
}
