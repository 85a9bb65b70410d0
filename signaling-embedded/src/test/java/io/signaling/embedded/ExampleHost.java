package io.signaling.embedded;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The host of docs/embedding.md, verbatim: a service with its own Undertow server, its own
 * routes and its own telemetry, adding signaling at {@code /signal} and signaling's health to
 * its own readiness.
 */
public final class ExampleHost implements AutoCloseable {

    private final EmbeddedSignaling signaling;
    private final Undertow server;

    public ExampleHost(String host, int port, org.slf4j.ILoggerFactory slf4j, MeterRegistry registry,
                       OpenTelemetry openTelemetry) throws Exception {
        signaling = EmbeddedSignaling.builder()
                .path("/signal")
                .slf4j(slf4j)
                .meterRegistry(registry)
                .openTelemetry(openTelemetry)
                .withoutHealthRoutes()               // the host answers /ready itself, below
                .build();

        HttpHandler hostRoutes = Handlers.routing()
                .get("/hello", exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.getResponseSender().send("hello from the host");
                })
                .get("/ready", exchange -> {
                    // The host's readiness includes signaling's: 503 while it starts or drains.
                    boolean ready = signaling.isReady();
                    exchange.setStatusCode(ready ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE);
                    exchange.getResponseSender().send(ready ? "ready" : "not ready");
                });

        server = Undertow.builder()
                .addHttpListener(port, host)
                .setHandler(signaling.handler(hostRoutes))  // /signal is ours, the rest is the host's
                .build();
        signaling.start();
        server.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    public EmbeddedSignaling signaling() {
        return signaling;
    }

    /** The host's shutdown: drain signaling (goaway, 1001) first, then stop the server. */
    @Override
    public void close() {
        signaling.stop(Duration.ofSeconds(5));
        server.stop();
    }
}
