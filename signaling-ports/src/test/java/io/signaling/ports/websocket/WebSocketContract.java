package io.signaling.ports.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every WebSocket adapter owes the core, checked against a real server on a free
 * loopback port with real clients (the JDK's {@link java.net.http.WebSocket}, and a raw socket
 * where a real client would be too polite).
 *
 * <p>Subclass it in the adapter's tests and implement {@link #start}: start a server with the
 * adapter mounted at {@code settings.path()} for these settings and listener, and hand back its
 * {@code ws://127.0.0.1:port/path} URI, its hub and its drain. The kit closes what it opened.
 */
public abstract class WebSocketContract {

    /** The server the subclass started for one test. */
    public interface ServerUnderTest extends AutoCloseable {

        /** {@code ws://127.0.0.1:<port><path>}. */
        URI uri();

        ConnectionHub hub();

        /** Graceful stop of the WebSocket endpoint: refuse upgrades, close all with 1001, wait. */
        boolean drain(Duration timeout) throws Exception;

        /** Stops everything the subclass started; called after each test. */
        @Override
        void close() throws Exception;
    }

    protected static final Duration WAIT = Duration.ofSeconds(20);

    /** Starts a server for one test. */
    protected abstract ServerUnderTest start(WebSocketSettings settings, WebSocketListener listener) throws Exception;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ExecutorService clientExecutor;
    protected HttpClient http;

    @BeforeEach
    void createClient() {
        clientExecutor = Executors.newFixedThreadPool(4);
        http = HttpClient.newBuilder().executor(clientExecutor).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        toClose.clear();
        clientExecutor.shutdownNow();
        assertThat(clientExecutor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Settings suited to tests: defaults unless the test changes them. */
    protected static SettingsBuilder settings() {
        return new SettingsBuilder();
    }

    /** A mutable builder over {@link WebSocketSettings}. */
    public static final class SettingsBuilder {
        private String path = "/ws";
        private int maxMessageBytes = 64 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration pingInterval = Duration.ofSeconds(20);
        private Duration sendTimeout = Duration.ofSeconds(10);
        private int sendQueueMessages = 256;
        private long sendQueueBytes = 1024 * 1024;
        private int maxConnections = 10_000;
        private List<String> allowedOrigins = List.of();

        public SettingsBuilder maxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        public SettingsBuilder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public SettingsBuilder pingInterval(Duration value) {
            pingInterval = value;
            return this;
        }

        public SettingsBuilder sendTimeout(Duration value) {
            sendTimeout = value;
            return this;
        }

        public SettingsBuilder sendQueue(int messages, long bytes) {
            sendQueueMessages = messages;
            sendQueueBytes = bytes;
            return this;
        }

        public SettingsBuilder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public SettingsBuilder allowedOrigins(String... origins) {
            allowedOrigins = List.of(origins);
            return this;
        }

        public WebSocketSettings build() {
            return new WebSocketSettings(path, maxMessageBytes, idleTimeout, pingInterval, sendTimeout,
                    sendQueueMessages, sendQueueBytes, maxConnections, allowedOrigins);
        }
    }

    protected ServerUnderTest server(WebSocketSettings settings, WebSocketListener listener) throws Exception {
        ServerUnderTest server = start(settings, listener);
        toClose.add(server);
        return server;
    }

    protected TestWebSocketClient client(ServerUnderTest server) throws Exception {
        return client(server, Map.of());
    }

    protected TestWebSocketClient client(ServerUnderTest server, Map<String, String> headers) throws Exception {
        TestWebSocketClient client = TestWebSocketClient.connectAsync(http, server.uri(), headers)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        toClose.add(client);
        return client;
    }

    protected RawWebSocketClient raw(ServerUnderTest server, Map<String, String> headers, int receiveBuffer)
            throws Exception {
        RawWebSocketClient client = RawWebSocketClient.upgrade(server.uri(), headers, receiveBuffer);
        toClose.add(client);
        return client;
    }

    /** The id of the connection whose onOpen ran as the {@code n}-th (from 0). */
    protected static String awaitOpened(RecordingWebSocketListener listener, int n) {
        await().atMost(WAIT).until(() -> listener.openedIds().size() > n);
        return listener.openedIds().get(n);
    }

    private static void assertWellBehaved(RecordingWebSocketListener listener) {
        assertThat(listener.violations()).as("listener contract violations").isEmpty();
    }

    // ------------------------------------------------------------------ opening, echo, addressing

    @Test
    void openReportsAnIdentifiedConnectionWithItsUpgradeHeaders() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);

        client(server, Map.of("X-Test-Header", "hello"));
        String id = awaitOpened(listener, 0);

        assertThat(id).matches("[A-Za-z0-9_-]{16,}"); // URL-safe, at least 96 bits in base64url
        WebSocketConnection connection = server.hub().find(id).orElseThrow();
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.requestHeaders()).containsEntry("x-test-header", List.of("hello"));
        assertThat(connection.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.hub().count()).isEqualTo(1);
        connection.attach("session-state");
        assertThat(server.hub().find(id).orElseThrow().attachment()).isEqualTo("session-state");
        assertWellBehaved(listener);
    }

    @Test
    void connectionIdsAreUnique() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        for (int i = 0; i < 20; i++) {
            client(server);
        }
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 20);
        assertThat(Set.copyOf(listener.openedIds())).hasSize(20);
    }

    /** The adapter measures each text once and hands its UTF-8 size on with it (TextFrame), so the core need not. */
    @Test
    void textsReachTheListenerWithTheirUtf8Size() throws Exception {
        List<TextFrame> frames = new CopyOnWriteArrayList<>();
        RecordingWebSocketListener listener = new RecordingWebSocketListener() {
            @Override
            public void onText(WebSocketConnection connection, TextFrame frame) {
                frames.add(frame);
                super.onText(connection, frame);
            }
        };
        ServerUnderTest server = server(settings().build(), listener);
        TestWebSocketClient client = client(server);
        String large = "\u00e9".repeat(20_000); // 40,000 bytes: more than one read

        client.send("hello");
        client.send("h\u00e9llo \uD83D\uDE00");
        client.send(large);

        await().atMost(WAIT).until(() -> frames.size() == 3);
        assertThat(frames).containsExactly(new TextFrame("hello", 5), new TextFrame("h\u00e9llo \uD83D\uDE00", 11),
                new TextFrame(large, 40_000));
        assertThat(listener.only().texts).as("the text reaches onText(String) too").hasSize(3);
        assertWellBehaved(listener);
    }

    @Test
    void echoesThroughTheListener() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener(true);
        ServerUnderTest server = server(settings().build(), listener);
        TestWebSocketClient client = client(server);

        client.send("hello");
        client.send("h\u00e9llo \uD83D\uDE00");

        await().atMost(WAIT).until(() -> client.messages().size() == 2);
        assertThat(client.messages()).containsExactly("hello", "h\u00e9llo \uD83D\uDE00");
        assertThat(listener.only().texts).containsExactly("hello", "h\u00e9llo \uD83D\uDE00");
        assertWellBehaved(listener);
    }

    @Test
    void sendsToOneConnectionById() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        TestWebSocketClient first = client(server);
        String firstId = awaitOpened(listener, 0);
        TestWebSocketClient second = client(server);
        awaitOpened(listener, 1);

        assertThat(server.hub().send(firstId, "for-first")).isEqualTo(ConnectionHub.Delivery.QUEUED);
        assertThat(server.hub().send("no-such-id", "lost")).isEqualTo(ConnectionHub.Delivery.UNKNOWN_CONNECTION);

        await().atMost(WAIT).until(() -> first.messages().size() == 1);
        assertThat(first.messages()).containsExactly("for-first");
        // A marker after the fact: had the second client got the first message, it would precede it.
        server.hub().broadcast("marker");
        await().atMost(WAIT).until(() -> second.messages().size() == 1);
        assertThat(second.messages()).containsExactly("marker");
    }

    @Test
    void sendCompletesWhenWritten() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        TestWebSocketClient client = client(server);
        WebSocketConnection connection = server.hub().find(awaitOpened(listener, 0)).orElseThrow();

        connection.send("one").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> client.messages().contains("one"));
    }

    @Test
    void broadcastsToFiveHundredConnectionsExactlyOnce() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        List<CompletableFuture<TestWebSocketClient>> connecting = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            connecting.add(TestWebSocketClient.connectAsync(http, server.uri(), Map.of()));
        }
        List<TestWebSocketClient> clients = new ArrayList<>();
        for (CompletableFuture<TestWebSocketClient> future : connecting) {
            TestWebSocketClient client = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            toClose.add(client);
            clients.add(client);
        }
        await().atMost(WAIT).until(() -> server.hub().count() == 500);

        assertThat(server.hub().broadcast("to-all")).isEqualTo(500);
        // Then a marker per connection: FIFO per connection means a duplicate would show before it.
        List<String> ids = new ArrayList<>(listener.openedIds());
        assertThat(server.hub().broadcast(ids, "marker")).isEqualTo(500);

        await().atMost(WAIT).until(() -> clients.stream().allMatch(c -> c.messages().size() >= 2));
        for (TestWebSocketClient client : clients) {
            assertThat(client.messages()).containsExactly("to-all", "marker");
        }
    }

    @Test
    void broadcastToIdsSkipsUnknownOnes() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        TestWebSocketClient client = client(server);
        String id = awaitOpened(listener, 0);

        Collection<String> ids = List.of(id, "unknown-1", "unknown-2");
        assertThat(server.hub().broadcast(ids, "some")).isEqualTo(1);
        await().atMost(WAIT).until(() -> client.messages().size() == 1);
    }

    // ------------------------------------------------------------------ closing

    @Test
    void closesOneConnectionById() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        TestWebSocketClient target = client(server, Map.of("X-Client", "target"));
        TestWebSocketClient other = client(server, Map.of("X-Client", "other"));
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 2);
        String id = idOf(server, "target");

        assertThat(server.hub().close(id, 4000, "bye")).isTrue();
        assertThat(server.hub().close("unknown", 4000, "bye")).isFalse();

        TestWebSocketClient.Closed closed = target.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(closed).isEqualTo(new TestWebSocketClient.Closed(4000, "bye"));
        await().atMost(WAIT).until(() -> listener.events(id).orElseThrow().isClosed());
        assertThat(listener.events(id).orElseThrow().closed()).isEqualTo(new RecordingWebSocketListener.Closed(4000, "bye"));
        assertThat(server.hub().find(id)).isEmpty();
        assertThat(server.hub().count()).isEqualTo(1);
        assertThat(server.hub().send(id, "late")).isEqualTo(ConnectionHub.Delivery.UNKNOWN_CONNECTION);
        assertThat(server.hub().send(idOf(server, "other"), "still-here")).isEqualTo(ConnectionHub.Delivery.QUEUED);
        await().atMost(WAIT).until(() -> other.messages().contains("still-here"));
        assertThat(other.isOpen()).isTrue();
        assertWellBehaved(listener);
    }

    /** The id of the open connection whose upgrade carried {@code X-Client: name}. */
    protected static String idOf(ServerUnderTest server, String name) {
        List<String> found = new ArrayList<>();
        server.hub().forEach(c -> {
            if (List.of(name).equals(c.requestHeaders().get("x-client"))) {
                found.add(c.id());
            }
        });
        assertThat(found).as("connections named %s", name).hasSize(1);
        return found.get(0);
    }

    @Test
    void clientCloseIsReportedOnceWithItsCode() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        TestWebSocketClient client = client(server);
        String id = awaitOpened(listener, 0);

        client.sendClose(1000, "done");

        await().atMost(WAIT).until(() -> listener.events(id).orElseThrow().isClosed());
        assertThat(listener.events(id).orElseThrow().closed()).isEqualTo(new RecordingWebSocketListener.Closed(1000, "done"));
        await().atMost(WAIT).until(() -> server.hub().count() == 0);
        assertWellBehaved(listener);
    }

    @Test
    void droppedConnectionIsReportedAsAbnormalOnce() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        RawWebSocketClient dropped = raw(server, Map.of(), 0);
        assertThat(dropped.response().status()).isEqualTo(101);
        String id = awaitOpened(listener, 0);

        dropped.close(); // TCP gone, no close frame

        await().atMost(WAIT).until(() -> listener.events(id).orElseThrow().isClosed());
        assertThat(listener.events(id).orElseThrow().closed().code()).isEqualTo(CloseCodes.ABNORMAL);
        assertThat(listener.events(id).orElseThrow().closes).hasSize(1);
        assertThat(server.hub().count()).isZero();
        assertWellBehaved(listener);
    }

    @Test
    void rawClientTextReachesTheListener() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        RawWebSocketClient client = raw(server, Map.of(), 0);
        awaitOpened(listener, 0);

        client.sendText("x".repeat(1000)); // a 16-bit length frame
        client.sendText("short");

        await().atMost(WAIT).until(() -> listener.only().texts.size() == 2);
        assertThat(listener.only().texts).containsExactly("x".repeat(1000), "short");
    }

    @Test
    void anOrderlyCloseDeliversWhatWasSentBeforeIt() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().sendQueue(1024, 32 * 1024 * 1024).build(), listener);
        TestWebSocketClient client = client(server);
        WebSocketConnection connection = server.hub().find(awaitOpened(listener, 0)).orElseThrow();
        // Far more than the socket buffers hold, so most of it is still queued when close() is called:
        // a drain sends goaway and closes right after, and the goaway must not be lost.
        String chunk = "q".repeat(16 * 1024);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            sends.add(connection.send(i + ":" + chunk).toCompletableFuture());
        }
        connection.close(CloseCodes.GOING_AWAY, "drained");

        TestWebSocketClient.Closed closed = client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(closed).isEqualTo(new TestWebSocketClient.Closed(CloseCodes.GOING_AWAY, "drained"));
        assertThat(client.messages()).hasSize(400);
        for (int i = 0; i < 400; i++) {
            assertThat(client.messages().get(i)).startsWith(i + ":");
        }
        await().atMost(WAIT).until(() -> sends.stream().allMatch(CompletableFuture::isDone));
        assertThat(sends).allSatisfy(send -> assertThat(send).isCompleted());
        assertThat(connection.send("late").toCompletableFuture())
                .failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(SendFailedException.class);
        assertWellBehaved(listener);
    }

    @Test
    void sendAfterCloseFailsWithClosed() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        client(server);
        WebSocketConnection connection = server.hub().find(awaitOpened(listener, 0)).orElseThrow();

        connection.close(CloseCodes.NORMAL, "done");
        connection.close(CloseCodes.NORMAL, "again"); // idempotent

        assertThat(connection.isOpen()).isFalse();
        CompletionStage<Void> late = connection.send("late");
        assertThatThrownBy(() -> late.toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SendFailedException.class)
                .satisfies(e -> assertThat(((SendFailedException) e.getCause()).reason())
                        .isEqualTo(SendFailedException.Reason.CLOSED));
        await().atMost(WAIT).until(() -> listener.only().isClosed());
        assertThat(listener.only().closes).hasSize(1);
    }

    // ------------------------------------------------------------------ liveness

    @Test
    void idleTimeoutClosesASilentPeer() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().idleTimeout(Duration.ofMillis(300))
                .pingInterval(Duration.ofMillis(100)).build(), listener);
        // A raw socket never answers the server's pings and never sends a frame.
        RawWebSocketClient silent = raw(server, Map.of(), 0);
        assertThat(silent.response().status()).isEqualTo(101);
        String id = awaitOpened(listener, 0);

        await().atMost(WAIT).until(() -> listener.events(id).orElseThrow().isClosed());
        assertThat(listener.events(id).orElseThrow().closed().reason()).isEqualTo(CloseCodes.IDLE_TIMEOUT_REASON);
        assertThat(server.hub().find(id)).isEmpty();
        assertWellBehaved(listener);
    }

    @Test
    void pingsKeepAnAnsweringPeerAlive() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().idleTimeout(Duration.ofMillis(1000))
                .pingInterval(Duration.ofMillis(150)).build(), listener);
        // The JDK client answers pings with pongs but sends nothing itself: only the pongs to the
        // server's pings keep it alive through several idle timeouts.
        TestWebSocketClient client = client(server);
        String id = awaitOpened(listener, 0);

        await().during(Duration.ofMillis(3000)).atMost(Duration.ofSeconds(8))
                .until(() -> client.isOpen() && server.hub().find(id).isPresent());
    }

    // ------------------------------------------------------------------ protocol limits

    @Test
    void oversizedMessageClosesWith1009() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().maxMessageBytes(1024).build(), listener);
        TestWebSocketClient client = client(server);
        awaitOpened(listener, 0);

        client.send("x".repeat(1000)); // within the limit
        await().atMost(WAIT).until(() -> listener.only().texts.size() == 1);
        client.send("x".repeat(2000));

        TestWebSocketClient.Closed closed = client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        await().atMost(WAIT).until(() -> listener.only().isClosed());
        assertThat(listener.only().closed().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        assertThat(listener.only().texts).hasSize(1);
        assertWellBehaved(listener);
    }

    @Test
    void binaryMessageClosesWith1003() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        TestWebSocketClient client = client(server);
        awaitOpened(listener, 0);

        client.sendBinary(new byte[] {1, 2, 3});

        TestWebSocketClient.Closed closed = client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
        await().atMost(WAIT).until(() -> listener.only().isClosed());
        assertThat(listener.only().closed().code()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
        assertWellBehaved(listener);
    }

    // ------------------------------------------------------------------ admission

    @Test
    void disallowedOriginGets403BeforeTheUpgrade() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().allowedOrigins("https://app.example").build(), listener);

        RawWebSocketClient refused = raw(server, Map.of("Origin", "https://evil.example"), 0);

        assertThat(refused.response().status()).isEqualTo(403);
        assertThat(refused.response().headers().get("content-type")).startsWith("application/problem+json");
        assertThat(refused.response().body()).contains("\"status\":403").contains("evil.example");
        assertThat(listener.openedIds()).isEmpty();

        client(server, Map.of("Origin", "https://app.example"));
        awaitOpened(listener, 0);
    }

    @Test
    void upgradeBeyondMaxConnectionsGets503() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().maxConnections(2).build(), listener);
        client(server);
        client(server);
        await().atMost(WAIT).until(() -> server.hub().count() == 2);

        RawWebSocketClient refused = raw(server, Map.of(), 0);

        assertThat(refused.response().status()).isEqualTo(503);
        assertThat(refused.response().headers().get("content-type")).startsWith("application/problem+json");
        assertThat(refused.response().body()).contains("\"status\":503");
        assertThat(server.hub().count()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ back-pressure

    @Test
    void slowConsumerIsClosedWhileAFastOneKeepsReceiving() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().sendQueue(8, 256 * 1024).build(), listener);
        RawWebSocketClient slow = raw(server, Map.of(), 4096); // never reads
        assertThat(slow.response().status()).isEqualTo(101);
        String slowId = awaitOpened(listener, 0);
        TestWebSocketClient fast = client(server);
        String fastId = awaitOpened(listener, 1);
        WebSocketConnection slowConnection = server.hub().find(slowId).orElseThrow();
        String big = "s".repeat(16 * 1024);

        List<CompletableFuture<Void>> sends = new ArrayList<>();
        int fastExpected = 0;
        for (int i = 0; i < 20_000 && !listener.events(slowId).orElseThrow().isClosed(); i++) {
            sends.add(slowConnection.send(big).toCompletableFuture());
            if (i % 50 == 0) {
                assertThat(server.hub().send(fastId, "tick-" + i)).isEqualTo(ConnectionHub.Delivery.QUEUED);
                int expected = ++fastExpected;
                await().atMost(WAIT).until(() -> fast.messages().size() == expected);
            }
        }

        await().atMost(WAIT).until(() -> listener.events(slowId).orElseThrow().isClosed());
        RecordingWebSocketListener.Closed closed = listener.events(slowId).orElseThrow().closed();
        assertThat(closed.code()).isIn(CloseCodes.POLICY_VIOLATION, CloseCodes.TRY_AGAIN_LATER);
        assertThat(closed.reason()).isEqualTo(CloseCodes.SLOW_CONSUMER_REASON);
        assertThat(sends).anySatisfy(send -> assertThatThrownBy(send::join)
                .hasCauseInstanceOf(SendFailedException.class)
                .satisfies(e -> assertThat(((SendFailedException) e.getCause()).reason())
                        .isEqualTo(SendFailedException.Reason.QUEUE_FULL)));
        await().atMost(WAIT).until(() -> sends.stream().allMatch(CompletableFuture::isDone));

        // The fast consumer is untouched.
        assertThat(server.hub().send(fastId, "after")).isEqualTo(ConnectionHub.Delivery.QUEUED);
        await().atMost(WAIT).until(() -> fast.messages().contains("after"));
        assertThat(fast.isOpen()).isTrue();
        assertThat(listener.events(fastId).orElseThrow().isClosed()).isFalse();
        assertWellBehaved(listener);
    }

    @Test
    void stalledWriteBeyondTheSendTimeoutClosesTheConnection() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().sendQueue(100_000, 1L << 30).sendTimeout(Duration.ofMillis(300))
                .build(), listener);
        RawWebSocketClient slow = raw(server, Map.of(), 4096);
        assertThat(slow.response().status()).isEqualTo(101);
        String slowId = awaitOpened(listener, 0);
        WebSocketConnection slowConnection = server.hub().find(slowId).orElseThrow();
        String big = "s".repeat(16 * 1024);

        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 20_000 && slowConnection.isOpen(); i++) {
            sends.add(slowConnection.send(big).toCompletableFuture());
            if (i % 100 == 99) {
                // Let the write stall long enough for the send timeout to notice.
                CompletableFuture<Void> last = sends.get(sends.size() - 1);
                await().atMost(WAIT).until(() -> last.isDone() || !slowConnection.isOpen());
            }
        }

        await().atMost(WAIT).until(() -> listener.events(slowId).orElseThrow().isClosed());
        assertThat(listener.events(slowId).orElseThrow().closed().reason()).isEqualTo(CloseCodes.SLOW_CONSUMER_REASON);
        await().atMost(WAIT).until(() -> sends.stream().allMatch(CompletableFuture::isDone));
        assertThat(sends).anySatisfy(send -> assertThatThrownBy(send::join)
                .hasCauseInstanceOf(SendFailedException.class)
                .satisfies(e -> assertThat(((SendFailedException) e.getCause()).reason())
                        .isEqualTo(SendFailedException.Reason.TIMEOUT)));
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void concurrentSendersNeverInterleaveFrames() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().sendQueue(100_000, 64L * 1024 * 1024).build(), listener);
        TestWebSocketClient client = client(server);
        WebSocketConnection connection = server.hub().find(awaitOpened(listener, 0)).orElseThrow();
        int threads = 50;
        int perThread = 100;
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(senders.submit(() -> {
                    go.await();
                    for (int seq = 0; seq < perThread; seq++) {
                        connection.send(message(thread, seq));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> future : done) {
                future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
            assertThat(senders.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        await().atMost(WAIT).until(() -> client.messages().size() >= threads * perThread);
        assertThat(client.messages()).hasSize(threads * perThread);
        int[] nextSeq = new int[threads];
        for (String message : client.messages()) {
            Matcher m = MESSAGE.matcher(message);
            assertThat(m.matches()).as("intact frame: %s", message.length() > 80 ? message.substring(0, 80) : message)
                    .isTrue();
            int thread = Integer.parseInt(m.group(1));
            int seq = Integer.parseInt(m.group(2));
            assertThat(m.group(3)).isEqualTo(body(thread, seq));
            assertThat(seq).as("order of thread %d", thread).isEqualTo(nextSeq[thread]);
            nextSeq[thread]++;
        }
    }

    private static final Pattern MESSAGE = Pattern.compile("t(\\d+)-s(\\d+)\\|(.*)\\|end");

    private static String message(int thread, int seq) {
        return "t" + thread + "-s" + seq + "|" + body(thread, seq) + "|end";
    }

    private static String body(int thread, int seq) {
        // Sized so that frames span several TCP segments and an interleaving would corrupt them.
        return String.valueOf((char) ('a' + thread % 26)).repeat(2000 + (thread * 31 + seq) % 500);
    }

    // ------------------------------------------------------------------ shutdown

    @Test
    void drainClosesEveryConnectionWith1001AndReportsEachClose() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        List<TestWebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(client(server));
        }
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 5);

        assertThat(server.drain(Duration.ofSeconds(10))).isTrue();

        for (TestWebSocketClient client : clients) {
            assertThat(client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.GOING_AWAY);
        }
        // drain returns only after every onClose ran.
        assertThat(listener.closedCount()).isEqualTo(5);
        for (String id : listener.openedIds()) {
            assertThat(listener.events(id).orElseThrow().closed().code()).isEqualTo(CloseCodes.GOING_AWAY);
        }
        assertThat(server.hub().count()).isZero();

        RawWebSocketClient late = raw(server, Map.of(), 0);
        assertThat(late.response().status()).isEqualTo(503);
        assertWellBehaved(listener);
    }

    @Test
    void drainGivesUpOnAPeerThatNeverAnswersAtTheDeadline() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        ServerUnderTest server = server(settings().build(), listener);
        RawWebSocketClient mute = raw(server, Map.of(), 0); // never answers the close frame
        assertThat(mute.response().status()).isEqualTo(101);
        TestWebSocketClient polite = client(server);
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 2);

        long started = System.nanoTime();
        boolean clean = server.drain(Duration.ofMillis(500));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(clean).as("a peer did not complete the close handshake").isFalse();
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(polite.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.GOING_AWAY);
        await().atMost(WAIT).until(() -> listener.closedCount() == 2);
        for (String id : listener.openedIds()) {
            assertThat(listener.events(id).orElseThrow().closed().code()).isEqualTo(CloseCodes.GOING_AWAY);
        }
        assertWellBehaved(listener);
    }
}
