package io.signaling.adapter.undertow;

import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;

/**
 * A WebSocket implementation on Undertow, chosen at build time by putting exactly one adapter
 * module on the classpath; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.signaling.adapter.undertow.UndertowWebSocketProvider}.
 *
 * <pre>{@code
 * UndertowWebSocketProvider provider = ServiceLoader.load(UndertowWebSocketProvider.class).findFirst().orElseThrow();
 * WebSocketEndpoint ws = provider.create(settings, listener, loggers, metrics, tracer);
 * }</pre>
 *
 * <p>Every provider passes the same contract kit, so the endpoints behave alike: see
 * {@link WebSocketEndpoint}. Implementations are stateless and thread-safe, with a public no-arg
 * constructor.
 */
public interface UndertowWebSocketProvider {

    /** A short stable name, e.g. {@code "jsr"} or {@code "native"}: the {@code ws.adapter} build property's value. */
    String name();

    /** The Maven artifactId of the module that holds this provider, for messages telling what to add or remove. */
    String module();

    /**
     * A new endpoint, not started. Settings are validated here: a non-positive limit or timeout,
     * or a malformed path, throws {@link IllegalArgumentException} naming the configuration key.
     */
    WebSocketEndpoint create(WebSocketSettings settings, WebSocketListener listener, LoggerFactory loggerFactory,
                             Metrics metrics, Tracer tracer);
}
