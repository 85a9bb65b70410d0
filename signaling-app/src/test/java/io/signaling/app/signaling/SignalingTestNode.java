package io.signaling.app.signaling;

import io.signaling.app.SignalingNode;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import io.signaling.app.config.SignalingConfig;
import io.signaling.ports.metrics.Metrics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A started {@link SignalingNode} on a free loopback port with the flags a test gives (on top of
 * {@code --server.port=0}, loopback only, no admin listener, a 2 s drain), shut down on
 * {@link #close()}.
 */
final class SignalingTestNode implements AutoCloseable {

    private final SignalingNode node;
    private final SignalingConfig config;
    private CompletableFuture<Boolean> shutdown;

    private SignalingTestNode(SignalingNode node, SignalingConfig config) {
        this.node = node;
        this.config = config;
    }

    /** @param flags {@code key=value}, as after {@code --} on the command line */
    static SignalingTestNode start(String... flags) throws Exception {
        return start(Metrics.noop(), flags);
    }

    static SignalingTestNode start(Metrics metrics, String... flags) throws Exception {
        ConfigRequest request = ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("admin.enabled", "false")
                .withFlag("shutdown.readiness-delay", "0s")
                // Sockets a test left open are drained within this, not the production 30 s.
                .withFlag("shutdown.drain-timeout", "2s");
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            request = request.withFlag(flag.substring(0, eq), flag.substring(eq + 1));
        }
        SignalingConfig config = new ConfigLoader().load(request);
        SignalingNode node = SignalingNode.builder(config).metrics(metrics).build();
        node.start();
        return new SignalingTestNode(node, config);
    }

    SignalingNode node() {
        return node;
    }

    SignalingConfig config() {
        return config;
    }

    URI wsUri() {
        InetSocketAddress address = node.publicAddress();
        return URI.create("ws://127.0.0.1:" + address.getPort() + config.websocket().path());
    }

    /** Starts the shutdown on another thread, as a signal handler would; idempotent. */
    synchronized CompletableFuture<Boolean> shutdownAsync() {
        if (shutdown == null) {
            shutdown = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    shutdown.complete(node.shutdown());
                } catch (Throwable t) {
                    shutdown.completeExceptionally(t);
                }
            }, "test-shutdown");
            thread.setDaemon(true);
            thread.start();
        }
        return shutdown;
    }

    @Override
    public void close() {
        node.shutdown();
    }
}
