package io.signaling.app.signaling;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One signaling node per test class, started with the class's flags, and the clients each test
 * opens, closed after the test (after the class's own {@code @AfterEach} methods, as JUnit runs
 * extension callbacks last), then waits until the server has let go of them, so no test meets the
 * peers of the one before. Register with {@code @RegisterExtension static final}.
 */
final class RunningNode implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    private final String[] flags;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private SignalingTestNode node;

    RunningNode(String... flags) {
        this.flags = flags.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        node = SignalingTestNode.start(flags);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        node.close();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<AutoCloseable> toClose;
        synchronized (opened) {
            toClose = new ArrayList<>(opened);
            opened.clear();
        }
        for (AutoCloseable client : toClose) {
            client.close();
        }
        // Closing drops the TCP connections; the server handles each close on its own I/O thread.
        // Until it has, those peers are still in their rooms and the next test, on the same node,
        // would meet them (a join into a reused room name listing a stale peer).
        await("peers of the test gone from every room").atMost(Duration.ofSeconds(10))
                .until(() -> node.node().signaling().roomRegistry().peerCount() == 0);
    }

    /** A connected client, closed after the test. */
    SignalingClient connect() throws Exception {
        return closeAfterTest(SignalingClient.connect(http, node.wsUri()));
    }

    <T extends AutoCloseable> T closeAfterTest(T client) {
        synchronized (opened) {
            opened.add(client);
        }
        return client;
    }

    /** The running node, to look at its state. */
    SignalingTestNode testNode() {
        return node;
    }

    URI wsUri() {
        return node.wsUri();
    }

    HttpClient http() {
        return http;
    }
}
