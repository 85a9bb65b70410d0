package io.signaling.app.config;

import java.util.Objects;

/**
 * The public HTTP/WebSocket listener.
 *
 * @param host           {@code server.host}: IP literal or host name to bind
 * @param port           {@code server.port}: 0 picks a free port
 * @param ioThreads      {@code server.io-threads}: 0 keeps Undertow's default
 * @param workerThreads  {@code server.worker-threads}: 0 keeps Undertow's default
 * @param maxRequestBody {@code server.max-request-body} in bytes
 */
public record ServerConfig(String host, int port, int ioThreads, int workerThreads, long maxRequestBody) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
    }
}
