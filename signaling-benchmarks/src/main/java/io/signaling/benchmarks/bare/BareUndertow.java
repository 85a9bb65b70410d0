package io.signaling.benchmarks.bare;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The bare Undertow baseline server.
 *
 * <p>Routes: {@code GET /health/live} and {@code GET /health/ready} answer {@code {"status":"UP"}};
 * {@code /ws} is a native undertow-core WebSocket (see {@link BareSignaling}). Everything else is
 * 404. Run it with {@code java -jar bare-undertow.jar --server.port=8080 [--host=127.0.0.1]}.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} may be called from any thread; the instance
 * is not restartable.
 */
public final class BareUndertow implements AutoCloseable {

    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Undertow server;
    private final BareSignaling signaling;

    private BareUndertow(Undertow server, BareSignaling signaling) {
        this.server = server;
        this.signaling = signaling;
    }

    /**
     * Starts the baseline on {@code host:port} (port 0 picks a free port).
     *
     * @return the running server; close it to stop
     */
    public static BareUndertow start(String host, int port) {
        Objects.requireNonNull(host, "host");
        var signaling = new BareSignaling();
        HttpHandler health = BareUndertow::health;
        var routes = Handlers.path(Handlers.path().addExactPath("/health/live", health)
                        .addExactPath("/health/ready", health))
                .addExactPath("/ws", Handlers.websocket(signaling));
        var server = Undertow.builder()
                .addHttpListener(port, host)
                .setHandler(routes)
                .build();
        server.start();
        return new BareUndertow(server, signaling);
    }

    private static void health(HttpServerExchange exchange) {
        var method = exchange.getRequestMethod();
        if (!Methods.GET.equals(method) && !Methods.HEAD.equals(method)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(UP));
    }

    /** The bound port (useful after starting on port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Number of WebSocket connections currently open. */
    public int openConnections() {
        return signaling.openConnections();
    }

    @Override
    public void close() {
        signaling.closeAll(2_000);
        server.stop();
    }

    /**
     * Entry point: {@code --server.port=P} (or {@code --port=P}, default 8080) and {@code --host=H}
     * (default 127.0.0.1). Unknown arguments are a usage error (exit 2).
     */
    public static void main(String[] args) {
        String host = "127.0.0.1";
        int port = 8080;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            }
            try {
                switch (name) {
                    case "--server.port", "--port" -> port = Integer.parseInt(Objects.requireNonNull(value));
                    case "--host", "--server.host" -> host = Objects.requireNonNull(value);
                    default -> usage("unknown argument: " + arg);
                }
            } catch (NumberFormatException | NullPointerException e) {
                usage("bad value for " + name + ": " + value);
            }
        }
        if (port < 0 || port > 65535) {
            usage("port out of range: " + port);
        }
        var server = start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bare-undertow-shutdown"));
        System.err.println("bare-undertow listening on " + host + ":" + server.port());
    }

    private static void usage(String problem) {
        System.err.println("bare-undertow: " + problem);
        System.err.println("usage: java -jar bare-undertow.jar [--server.port=8080] [--host=127.0.0.1]");
        System.exit(2);
    }
}
