package io.signaling.adapter.undertow.websocket;

import io.signaling.adapter.undertow.WebSocketEndpoint;
import io.signaling.adapter.undertow.websocket.EndpointSupport.Handshake;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.core.WebSocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * What every Undertow WebSocket flavour's endpoint does alike, so that a flavour only adapts its
 * Undertow API: the front handler (admission, then {@link #upgrade}), the hub, accepting and
 * draining, start and stop around the flavour's own {@link #startTransport}/{@link #stopTransport}.
 * SPI support for the adapter modules, not an API for applications.
 *
 * <p>Thread-safety: as {@link WebSocketEndpoint}; {@code start} and {@code stop} are serialized.
 */
public abstract class ManagedEndpoint implements WebSocketEndpoint {

    private final WebSocketSettings settings;
    private final Logger log;
    private final UndertowConnectionHub hub = new UndertowConnectionHub();
    private final EndpointSupport support;
    private final HttpHandler frontHandler = this::handleRequest;

    /**
     * Validates the settings: a non-positive limit or timeout, or a malformed path, throws
     * {@link IllegalArgumentException} naming the configuration key. The logger is named after
     * the flavour's class.
     */
    protected ManagedEndpoint(WebSocketSettings settings, WebSocketListener listener, LoggerFactory loggerFactory,
                              Metrics metrics, Tracer tracer) {
        this.settings = EndpointSupport.validate(settings);
        this.log = Objects.requireNonNull(loggerFactory, "loggerFactory").logger(getClass());
        WebSocketTelemetry telemetry = new WebSocketTelemetry(Objects.requireNonNull(metrics, "metrics"), hub::count,
                hub::pendingBytes);
        this.support = new EndpointSupport(this.settings, listener, log, tracer, telemetry, hub);
    }

    // ---------------------------------------------------------------- what a flavour provides

    /** Hands an admitted upgrade to the flavour's Undertow API (I/O thread). */
    protected abstract void upgrade(HttpServerExchange exchange, Handshake handshake) throws Exception;

    /** Readies the flavour's transport before upgrades are accepted; nothing by default. */
    protected void startTransport() throws Exception {
    }

    /**
     * Releases the flavour's transport once every connection has closed or been aborted; nothing
     * by default.
     *
     * @return whether it was released cleanly before {@code deadlineNanos} ({@link System#nanoTime()} based)
     */
    protected boolean stopTransport(long deadlineNanos) throws Exception {
        return true;
    }

    /** A new connection on {@code channel}; the flavour installs its frame handlers, then {@link #register}s it. */
    protected final ManagedConnection connect(WebSocketChannel channel, Handshake handshake,
                                              Transport.Factory transport) {
        return support.connect(channel, handshake, transport);
    }

    /** Makes the connection live (see {@link EndpointSupport#register}); on its I/O thread. */
    protected final void register(ManagedConnection connection) {
        support.register(connection);
    }

    protected final WebSocketSettings settings() {
        return settings;
    }

    /** The subprotocols the listener speaks, most preferred first, for the flavour's handshake to offer. */
    protected final java.util.List<String> subprotocols() {
        return support.subprotocols();
    }

    protected final Logger log() {
        return log;
    }

    // ---------------------------------------------------------------- WebSocketEndpoint

    @Override
    public final HttpHandler handler() {
        return frontHandler;
    }

    @Override
    public final UndertowConnectionHub hub() {
        return hub;
    }

    @Override
    public final void stopAccepting() {
        support.stopAccepting();
    }

    @Override
    public final boolean isAccepting() {
        return support.isAccepting();
    }

    @Override
    public final String name() {
        return "websocket " + settings.path();
    }

    @Override
    public final synchronized void start() throws Exception {
        startTransport();
        support.started();
    }

    @Override
    public final synchronized boolean stop(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        boolean clean = support.drain(deadline);
        clean &= stopTransport(deadline);
        log.info("websocket endpoint stopped", "clean", clean);
        return clean;
    }

    private void handleRequest(HttpServerExchange exchange) throws Exception {
        Handshake handshake = support.admitAndHandshake(exchange);
        if (handshake != null) {
            upgrade(exchange, handshake);
        }
    }
}
