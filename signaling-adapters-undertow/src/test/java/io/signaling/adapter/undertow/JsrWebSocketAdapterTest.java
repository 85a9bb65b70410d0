package io.signaling.adapter.undertow;

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

/** The WebSocket contract against the Jakarta (undertow-websockets-jsr) adapter on a real Undertow. */
class JsrWebSocketAdapterTest extends WebSocketContract {

    @Override
    protected ServerUnderTest start(WebSocketSettings settings, WebSocketListener listener) throws Exception {
        return JsrTestServer.start(settings, listener, LoggerFactory.noop(), Metrics.noop(), Tracer.noop());
    }

    /** An Undertow on a free loopback port with only the WebSocket endpoint mounted. */
    static final class JsrTestServer implements ServerUnderTest {
        final WebSocketEndpoint endpoint;
        final Undertow undertow;
        final URI uri;

        private JsrTestServer(WebSocketEndpoint endpoint, Undertow undertow, URI uri) {
            this.endpoint = endpoint;
            this.undertow = undertow;
            this.uri = uri;
        }

        static JsrTestServer start(WebSocketSettings settings, WebSocketListener listener, LoggerFactory loggers,
                                   Metrics metrics, Tracer tracer) throws Exception {
            WebSocketEndpoint endpoint = UndertowWebSockets.jsr(settings, listener, loggers, metrics, tracer);
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
            return new JsrTestServer(endpoint, undertow, URI.create("ws://127.0.0.1:" + port + settings.path()));
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
}
