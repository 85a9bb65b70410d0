package io.signaling.app.config;

import java.util.List;
import java.util.Objects;

/**
 * The public HTTP/WebSocket listener.
 *
 * @param host           {@code server.host}: IP literal or host name to bind
 * @param port           {@code server.port}: 0 picks a free port
 * @param ioThreads      {@code server.io-threads}: 0 keeps Undertow's default
 * @param workerThreads  {@code server.worker-threads}: 0 keeps Undertow's default
 * @param maxRequestBody {@code server.max-request-body} in bytes
 * @param trustedProxies {@code server.trusted-proxies}: addresses or CIDR ranges whose
 *                       {@code X-Forwarded-For} names the client; empty trusts none
 */
public record ServerConfig(String host, int port, int ioThreads, int workerThreads, long maxRequestBody,
                           List<String> trustedProxies) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** Without trusted proxies. */
    public ServerConfig(String host, int port, int ioThreads, int workerThreads, long maxRequestBody) {
        this(host, port, ioThreads, workerThreads, maxRequestBody, List.of());
    }
}
