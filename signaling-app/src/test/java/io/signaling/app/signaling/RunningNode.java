package io.signaling.app.signaling;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

/**
 * One signaling node per test class, started with the class's flags, and the clients each test
 * opens, closed after the test (after the class's own {@code @AfterEach} methods, as JUnit runs
 * extension callbacks last). Register with {@code @RegisterExtension static final}.
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

    URI wsUri() {
        return node.wsUri();
    }

    HttpClient http() {
        return http;
    }
}
