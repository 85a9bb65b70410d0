package io.signaling.adapter.undertow.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.adapter.undertow.WebSocketEndpoint;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.testing.RecordingLogger;
import io.signaling.ports.testing.RecordingLogger.Event;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.testing.RecordingTracer;
import io.signaling.ports.testing.RecordingTracer.RecordedSpan;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.RawWebSocketClient;
import io.signaling.ports.websocket.RecordingWebSocketListener;
import io.signaling.ports.websocket.TestWebSocketClient;
import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.WebSocketSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every Undertow WebSocket provider adds beyond the port contract, identically: telemetry
 * (meter names and tags), spans, log context, validation, admission details. Each adapter module's
 * test subclasses it with its provider.
 */
public abstract class UndertowWebSocketEndpointContract {

    /** The provider under test. */
    protected abstract UndertowWebSocketProvider provider();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ExecutorService clientExecutor;
    private HttpClient http;

    @BeforeEach
    void createClient() {
        clientExecutor = Executors.newFixedThreadPool(2);
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
        clientExecutor.shutdownNow();
        assertThat(clientExecutor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static WebSocketSettings settings(int maxConnections, List<String> origins, int queueMessages) {
        WebSocketSettings d = WebSocketSettings.defaults();
        return new WebSocketSettings(d.path(), 1024, d.idleTimeout(), d.pingInterval(), d.sendTimeout(),
                queueMessages, d.sendQueueBytes(), maxConnections, origins);
    }

    private EndpointTestServer server(WebSocketSettings settings, RecordingWebSocketListener listener, LoggerFactory loggers,
                                 Metrics metrics, Tracer tracer) throws Exception {
        EndpointTestServer server = EndpointTestServer.start(provider(), settings, listener, loggers, metrics, tracer);
        toClose.add(server);
        return server;
    }

    private TestWebSocketClient client(EndpointTestServer server, Map<String, String> headers) throws Exception {
        TestWebSocketClient client = TestWebSocketClient.connectAsync(http, server.uri(), headers)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        toClose.add(client);
        return client;
    }

    private RawWebSocketClient raw(EndpointTestServer server, Map<String, String> headers, int receiveBuffer)
            throws Exception {
        RawWebSocketClient client = RawWebSocketClient.upgrade(server.uri(), headers, receiveBuffer);
        toClose.add(client);
        return client;
    }

    @Test
    void reportsConnectionsMessagesAndBytes() throws Exception {
        RecordingMetrics metrics = new RecordingMetrics();
        RecordingWebSocketListener listener = new RecordingWebSocketListener(true);
        EndpointTestServer server = server(settings(10, List.of(), 256), listener, LoggerFactory.noop(), metrics,
                Tracer.noop());
        TestWebSocketClient client = client(server, Map.of());
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);
        assertThat(metrics.gauge("websocket.connections.active")).isEqualTo(1.0);
        assertThat(metrics.count("websocket.connections", "event", "opened", "reason", "none")).isEqualTo(1.0);

        client.send("h\u00e9"); // 3 bytes in UTF-8
        await().atMost(WAIT).until(() -> client.messages().size() == 1);
        assertThat(metrics.count("websocket.messages", "direction", "in")).isEqualTo(1.0);
        assertThat(metrics.summaryValues("websocket.message.bytes", "direction", "in")).containsExactly(3.0);
        await().atMost(WAIT).until(() -> metrics.count("websocket.messages", "direction", "out") == 1.0);
        assertThat(metrics.summaryValues("websocket.message.bytes", "direction", "out")).containsExactly(3.0);

        client.sendClose(CloseCodes.NORMAL, "bye");
        await().atMost(WAIT).until(() -> metrics.count("websocket.connections", "event", "closed", "reason", "normal")
                == 1.0);
        assertThat(metrics.gauge("websocket.connections.active")).isZero();
    }

    /**
     * A socket whose listener heard {@code onOpen} while the endpoint still accepted is the
     * listener's to drain, even when the drain begins before the endpoint's open callback returns:
     * the endpoint must not close it with 1001 on its own, or the listener's goaway (sent on its
     * drain, before its own 1001) never reaches the client, which already read the welcome.
     */
    @Test
    void aSocketOpenedWhileAcceptingIsLeftToTheListenersDrainEvenIfTheDrainBeginsDuringItsOpen() throws Exception {
        java.util.concurrent.CountDownLatch inOnOpen = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RecordingWebSocketListener listener = new RecordingWebSocketListener(true) {
            @Override
            public void onOpen(WebSocketConnection connection) {
                super.onOpen(connection);
                connection.send("welcome");
                inOnOpen.countDown();
                try {
                    // Holds the I/O thread inside the endpoint's open callback while the drain begins.
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        EndpointTestServer server = server(settings(10, List.of(), 256), listener, LoggerFactory.noop(),
                Metrics.noop(), Tracer.noop());
        CompletableFuture<TestWebSocketClient> connecting = TestWebSocketClient.connectAsync(http, server.uri(), Map.of());
        assertThat(inOnOpen.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("onOpen reached").isTrue();
        server.endpoint().stopAccepting();
        release.countDown();
        TestWebSocketClient client = connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        toClose.add(client);

        // The open callback has returned once an echo comes back (events of a connection run in order).
        client.send("still open?");
        await().atMost(WAIT).until(() -> client.messages().size() == 2 || client.closed().isDone());
        assertThat(client.messages()).as("the endpoint left the socket open").containsExactly("welcome", "still open?");

        // The listener's drain: goaway, then 1001; the client gets both, in that order.
        WebSocketConnection connection = listener.only().connection;
        connection.send("goaway");
        connection.close(CloseCodes.GOING_AWAY, "server shutting down");
        assertThat(client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(client.messages()).containsExactly("welcome", "still open?", "goaway");
    }

    @Test
    void countsCloseReasonsAndQueueOverflows() throws Exception {
        RecordingMetrics metrics = new RecordingMetrics();
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        EndpointTestServer server = server(settings(10, List.of(), 2), listener, LoggerFactory.noop(), metrics,
                Tracer.noop());
        TestWebSocketClient tooBig = client(server, Map.of());
        tooBig.send("x".repeat(2000));
        tooBig.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> metrics.count("websocket.connections", "event", "closed", "reason", "too_big")
                == 1.0);

        raw(server, Map.of(), 4096); // never reads
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 2);
        WebSocketConnection slow = server.hub().find(listener.openedIds().get(1)).orElseThrow();
        String big = "s".repeat(16 * 1024);
        for (int i = 0; i < 20_000 && slow.isOpen(); i++) {
            slow.send(big);
        }
        await().atMost(WAIT).until(() -> metrics.count("websocket.connections", "event", "closed", "reason",
                "slow_consumer") == 1.0);
        assertThat(metrics.count("websocket.send.queue.overflows")).isEqualTo(1.0);
    }

    @Test
    void reportsTheBytesWaitingForAConsumerThatStopsReadingUntilItsSocketIsGone() throws Exception {
        RecordingMetrics metrics = new RecordingMetrics();
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        EndpointTestServer server = server(settings(10, List.of(), 256), listener, LoggerFactory.noop(), metrics,
                Tracer.noop());
        RawWebSocketClient stalled = raw(server, Map.of(), 4096); // never reads
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);
        assertThat(metrics.gauge("websocket.send.queue.bytes")).isZero();

        // 60 x 16 KiB stays under the 1 MiB queue bound even if the kernel took none of it, and is
        // far more than the capped socket buffers take, so the rest waits in the server's queue.
        WebSocketConnection slow = server.hub().find(listener.openedIds().get(0)).orElseThrow();
        String big = "s".repeat(16 * 1024);
        for (int i = 0; i < 60 && metrics.gauge("websocket.send.queue.bytes") < 2 * big.length(); i++) {
            slow.send(big);
        }
        double pending = metrics.gauge("websocket.send.queue.bytes");
        assertThat(pending).isBetween(2.0 * big.length(), 60.0 * big.length());
        assertThat(pending % big.length()).as("whole messages").isZero();

        stalled.close();
        await().atMost(WAIT).until(() -> metrics.gauge("websocket.send.queue.bytes") == 0.0);
        await().atMost(WAIT).until(() -> metrics.gauge("websocket.connections.active") == 0.0);
    }

    /**
     * Undertow runs a channel's close tasks inside its own monitor on that channel. A listener's
     * onClose takes the application's locks (a room's), and another thread holding those locks may
     * be writing to this very channel, which needs that monitor: a lock-order deadlock (seen in the
     * bare baseline on one core). So onClose must never run while the channel's monitor is held,
     * however the connection ends.
     */
    @Test
    void onCloseNeverRunsInsideTheChannelsMonitor() throws Exception {
        Map<String, Boolean> heldMonitor = new java.util.concurrent.ConcurrentHashMap<>();
        RecordingWebSocketListener listener = new RecordingWebSocketListener() {
            @Override
            public void onClose(WebSocketConnection connection, int code, String reason) {
                heldMonitor.put(connection.id(), Thread.holdsLock(((ManagedConnection) connection).channel()));
                super.onClose(connection, code, reason);
            }
        };
        EndpointTestServer server = server(settings(10, List.of(), 256), listener, LoggerFactory.noop(),
                Metrics.noop(), Tracer.noop());
        List<TestWebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(client(server, Map.of()));
            int opened = i + 1;
            await().atMost(WAIT).until(() -> listener.openedIds().size() == opened);
        }
        List<String> ids = listener.openedIds();

        clients.get(0).sendClose(CloseCodes.NORMAL, "bye");       // the client's close handshake
        clients.get(1).close();                                   // a dropped TCP connection
        server.hub().find(ids.get(2)).orElseThrow().close(CloseCodes.NORMAL, "server closes");
        await().atMost(WAIT).until(() -> heldMonitor.size() == 3);
        assertThat(server.drain(WAIT)).as("drain closed the last one").isTrue(); // the shutdown drain
        await().atMost(WAIT).until(() -> heldMonitor.size() == 4);

        assertThat(heldMonitor).as("onClose ran holding the channel's monitor, by connection")
                .containsOnlyKeys(ids).doesNotContainValue(true);
        assertThat(listener.violations()).isEmpty();
    }

    @Test
    void countsRefusedUpgradesByReason() throws Exception {
        RecordingMetrics metrics = new RecordingMetrics();
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        EndpointTestServer server = server(settings(1, List.of("https://app.example"), 256), listener,
                LoggerFactory.noop(), metrics, Tracer.noop());

        assertThat(raw(server, Map.of("Origin", "https://evil.example"), 0).response().status()).isEqualTo(403);
        assertThat(metrics.count("websocket.handshake.rejections", "reason", "origin")).isEqualTo(1.0);

        client(server, Map.of("Origin", "HTTPS://APP.EXAMPLE")); // origins compare case-insensitively
        await().atMost(WAIT).until(() -> server.hub().count() == 1);
        assertThat(raw(server, Map.of(), 0).response().status()).isEqualTo(503);
        assertThat(metrics.count("websocket.handshake.rejections", "reason", "capacity")).isEqualTo(1.0);

        server.endpoint().stopAccepting();
        assertThat(server.endpoint().isAccepting()).isFalse();
        RawWebSocketClient.Response draining = raw(server, Map.of(), 0).response();
        assertThat(draining.status()).isEqualTo(503);
        assertThat(draining.body()).contains("shutting down");
        assertThat(metrics.count("websocket.handshake.rejections", "reason", "draining")).isEqualTo(1.0);
        assertThat(server.hub().count()).as("open connections are left alone").isEqualTo(1);
    }

    @Test
    void handlesEachMessageUnderItsOwnSpanLinkedToTheConnection() throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        List<TraceContext> currentInListener = new CopyOnWriteArrayList<>();
        RecordingWebSocketListener listener = new RecordingWebSocketListener() {
            @Override
            public void onText(WebSocketConnection connection, String text) {
                currentInListener.add(tracer.current());
                super.onText(connection, text);
            }
        };
        EndpointTestServer server = server(settings(10, List.of(), 256), listener, LoggerFactory.noop(), Metrics.noop(),
                tracer);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        TestWebSocketClient client = client(server, Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);
        String id = listener.openedIds().get(0);

        client.send("one");
        client.send("two");
        await().atMost(WAIT).until(() -> listener.only().texts.size() == 2);

        RecordedSpan open = tracer.spans("websocket.open").get(0);
        assertThat(open.context().traceId()).as("the connection joins the upgrade's trace").isEqualTo(traceId);
        List<RecordedSpan> messages = tracer.spans("websocket.message");
        assertThat(messages).hasSize(2);
        for (RecordedSpan span : messages) {
            assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
            assertThat(span.links()).containsExactly(open.context());
            assertThat(span.attributes()).containsEntry("websocket.connection.id", id);
            assertThat(span.isEnded()).isTrue();
        }
        assertThat(messages.get(0).context()).isNotEqualTo(messages.get(1).context());
        assertThat(currentInListener).containsExactly(messages.get(0).context(), messages.get(1).context());
    }

    @Test
    void messagesOfAConnectionWhoseTraceIsNotSampledOrOutsideTheShareGetNoSpan() throws Exception {
        // Three connections: an unsampled upgrade (traceparent flags 00), a sampled one under a
        // share of 0, and a sampled one under a share of 1 (the control).
        for (double share : new double[] {1.0, 0.0}) {
            RecordingTracer tracer = new RecordingTracer();
            List<Boolean> traced = new CopyOnWriteArrayList<>();
            RecordingWebSocketListener listener = new RecordingWebSocketListener() {
                @Override
                public void onOpen(WebSocketConnection connection) {
                    traced.add(connection.tracesMessages());
                    super.onOpen(connection);
                }
            };
            EndpointTestServer server = server(settings(10, List.of(), 256).withMessageSpanRatio(share), listener,
                    LoggerFactory.noop(), Metrics.noop(), tracer);
            TestWebSocketClient unsampled = client(server,
                    Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
            await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);
            TestWebSocketClient sampled = client(server,
                    Map.of("traceparent", "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            await().atMost(WAIT).until(() -> listener.openedIds().size() == 2);

            unsampled.send("a");
            sampled.send("b");
            await().atMost(WAIT).until(() -> listener.openedIds().stream()
                    .mapToInt(id -> listener.events(id).orElseThrow().texts.size()).sum() == 2);

            assertThat(tracer.spans("websocket.open")).as("every connection's open span").hasSize(2);
            assertThat(traced).as("share %s", share).containsExactly(false, share == 1.0);
            assertThat(tracer.spans("websocket.message")).as("share %s", share).hasSize(share == 1.0 ? 1 : 0);
        }
    }

    @Test
    void logsCarryTheConnectionId() throws Exception {
        RecordingLogger loggers = new RecordingLogger();
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        EndpointTestServer server = server(settings(10, List.of(), 256), listener, loggers, Metrics.noop(), Tracer.noop());
        TestWebSocketClient client = client(server, Map.of());
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);
        String id = listener.openedIds().get(0);

        client.sendClose(CloseCodes.NORMAL, "bye");

        await().atMost(WAIT).until(() -> !loggers.eventsWithMessage("websocket closed").isEmpty());
        Event closed = loggers.eventsWithMessage("websocket closed").get(0);
        assertThat(closed.keyValues()).containsEntry("connection_id", id).containsEntry("code", CloseCodes.NORMAL);
    }

    @Test
    void aThrowingListenerDoesNotKillTheConnection() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener(true) {
            @Override
            public void onText(WebSocketConnection connection, String text) {
                if (text.equals("boom")) {
                    throw new IllegalStateException("core bug");
                }
                super.onText(connection, text);
            }
        };
        EndpointTestServer server = server(settings(10, List.of(), 256), listener, LoggerFactory.noop(), Metrics.noop(),
                Tracer.noop());
        TestWebSocketClient client = client(server, Map.of());

        client.send("boom");
        client.send("after");

        await().atMost(WAIT).until(() -> client.messages().contains("after"));
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void closeRejectsCodesThatCannotBeSent() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        EndpointTestServer server = server(settings(10, List.of(), 256), listener, LoggerFactory.noop(), Metrics.noop(),
                Tracer.noop());
        client(server, Map.of());
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);
        WebSocketConnection connection = server.hub().find(listener.openedIds().get(0)).orElseThrow();

        assertThatThrownBy(() -> connection.close(CloseCodes.ABNORMAL, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1006");
        assertThat(connection.isOpen()).isTrue();
        connection.close(CloseCodes.NORMAL, "r".repeat(500)); // an over-long reason is cut, not refused
        await().atMost(WAIT).until(() -> listener.only().isClosed());
        assertThat(listener.only().closed().reason()).hasSizeLessThanOrEqualTo(123);
    }

    @Test
    void plainRequestsOnTheWebSocketPathGet426() throws Exception {
        EndpointTestServer server = server(settings(10, List.of(), 256), new RecordingWebSocketListener(),
                LoggerFactory.noop(), Metrics.noop(), Tracer.noop());
        URI uri = URI.create(server.uri().toString().replace("ws://", "http://"));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(426);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":426");
    }

    @Test
    void refusesUpgradesBeforeStart() throws Exception {
        WebSocketEndpoint endpoint = provider().create(WebSocketSettings.defaults(),
                new RecordingWebSocketListener(), LoggerFactory.noop(), Metrics.noop(), Tracer.noop());
        io.undertow.Undertow undertow = io.undertow.Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(io.undertow.Handlers.path().addPrefixPath("/ws", endpoint.handler())).build();
        undertow.start();
        toClose.add(undertow::stop);
        int port = ((java.net.InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();

        RawWebSocketClient refused = RawWebSocketClient.upgrade(URI.create("ws://127.0.0.1:" + port + "/ws"),
                Map.of(), 0);
        toClose.add(refused);

        assertThat(refused.response().status()).isEqualTo(503);
        assertThat(endpoint.isAccepting()).isFalse();
        assertThat(endpoint.stop(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void invalidSettingsAreRefusedWithTheKeyNamed() {
        WebSocketSettings d = WebSocketSettings.defaults();
        assertThatThrownBy(() -> provider().create(new WebSocketSettings("/ws", 0, d.idleTimeout(),
                d.pingInterval(), d.sendTimeout(), 1, 1, 1, List.of()), new RecordingWebSocketListener(),
                LoggerFactory.noop(), Metrics.noop(), Tracer.noop()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("websocket.max-message-size");
        assertThatThrownBy(() -> provider().create(new WebSocketSettings("ws/", 10, d.idleTimeout(),
                d.pingInterval(), d.sendTimeout(), 1, 1, 1, List.of()), new RecordingWebSocketListener(),
                LoggerFactory.noop(), Metrics.noop(), Tracer.noop()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("websocket.path");
        assertThatThrownBy(() -> provider().create(new WebSocketSettings("/ws", 10, Duration.ZERO,
                d.pingInterval(), d.sendTimeout(), 1, 1, 1, List.of()), new RecordingWebSocketListener(),
                LoggerFactory.noop(), Metrics.noop(), Tracer.noop()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("websocket.idle-timeout");
        assertThatThrownBy(() -> provider().create(d, null, LoggerFactory.noop(), Metrics.noop(), Tracer.noop()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("listener");
    }

    // ------------------------------------------------------------------ message size, counted whole

    private WebSocket rawJdkClient(EndpointTestServer server, CompletableFuture<Integer> closeCode) throws Exception {
        WebSocket ws = http.newWebSocketBuilder().buildAsync(server.uri(), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.completeExceptionally(error);
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        toClose.add(ws::abort);
        return ws;
    }

    private EndpointTestServer serverWithMaxMessage(int maxMessageBytes, RecordingWebSocketListener listener)
            throws Exception {
        WebSocketSettings d = WebSocketSettings.defaults();
        return server(new WebSocketSettings(d.path(), maxMessageBytes, d.idleTimeout(), d.pingInterval(),
                d.sendTimeout(), d.sendQueueMessages(), d.sendQueueBytes(), 10, List.of()), listener,
                LoggerFactory.noop(), Metrics.noop(), Tracer.noop());
    }

    @Test
    void fragmentsWithinTheLimitArriveAsOneMessage() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        EndpointTestServer server = serverWithMaxMessage(1024, listener);
        WebSocket ws = rawJdkClient(server, new CompletableFuture<>());
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);

        ws.sendText("a".repeat(400), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ws.sendText("b".repeat(400), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> listener.only().texts.size() == 1);
        assertThat(listener.only().texts.get(0)).isEqualTo("a".repeat(400) + "b".repeat(400));
    }

    @Test
    void fragmentsAddingUpOverTheLimitCloseWith1009() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        EndpointTestServer server = serverWithMaxMessage(1024, listener);
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket ws = rawJdkClient(server, closeCode);
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);

        // Each fragment is under the limit; the message is not.
        ws.sendText("x".repeat(400), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ws.sendText("y".repeat(400), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ws.sendText("z".repeat(400), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        await().atMost(WAIT).until(() -> listener.only().isClosed());
        assertThat(listener.only().closed().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        assertThat(listener.only().texts).isEmpty();
    }

    @Test
    void aMessageSpanningManyReadsIsCountedWhole() throws Exception {
        RecordingWebSocketListener listener = new RecordingWebSocketListener();
        EndpointTestServer server = serverWithMaxMessage(100_000, listener);
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket ws = rawJdkClient(server, closeCode);
        await().atMost(WAIT).until(() -> listener.openedIds().size() == 1);

        // Far larger than one read buffer: the server sees it over many reads.
        ws.sendText("w".repeat(90_000), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> listener.only().texts.size() == 1);
        assertThat(listener.only().texts.get(0)).hasSize(90_000);

        ws.sendText("v".repeat(300_000), true);
        assertThat(closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        await().atMost(WAIT).until(() -> listener.only().isClosed());
        assertThat(listener.only().texts).hasSize(1);
    }

    @Test
    void queueBoundsCountUtf8Bytes() {
        assertThat(io.signaling.ports.websocket.TextFrame.utf8Length("a\u00e9\u20ac\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
    }
}
