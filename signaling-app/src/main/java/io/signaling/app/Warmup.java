package io.signaling.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signaling.app.cli.Cli;
import io.signaling.app.config.SignalingConfig;
import io.signaling.ports.log.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code warmup} command's traffic: every hot path of a started node, once, from a client in
 * this process, so that a training run ({@code -XX:ArchiveClassesAtExit}) loads the classes a
 * serving node loads: the HTTP routes and middleware of both listeners, the Prometheus scrape,
 * the WebSocket upgrade with its origin check, the codec, rooms, relays, errors, leave and close.
 *
 * <p>Every wait is bounded by {@link #STEP_TIMEOUT}, so a node that stops answering fails the
 * step that waited instead of hanging an image build. Not thread-safe; {@link #run()} once.
 */
final class Warmup {

    /** The longest any one step waits for the node. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    private static final String ROOM = "warmup";
    private static final String PAYLOAD = "{\"sdp\":\"v=0\\r\\no=- 0 0 IN IP4 127.0.0.1\\r\\n\"}";
    private static final String TYPE = "type";
    private static final String PEER_ID = "peerId";
    private static final String FROM = "from";
    private static final String CODE = "code";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI publicBase;
    private final URI adminBase;
    private final URI webSocket;
    private final boolean metrics;
    private final Logger log;
    private final List<String> done = new ArrayList<>();

    /** A step that did not get the answer it expects; the message names the step. */
    static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final String step;

        StepFailure(String step, String reason, Throwable cause) {
            super(step + ": " + reason, cause);
            this.step = step;
        }

        String step() {
            return step;
        }
    }

    Warmup(InetSocketAddress publicAddress, Optional<InetSocketAddress> adminAddress, SignalingConfig config,
           Logger log) {
        Objects.requireNonNull(config, "config");
        this.publicBase = base("http", publicAddress);
        this.adminBase = adminAddress.map(a -> base("http", a)).orElse(null);
        this.webSocket = base("ws", publicAddress).resolve(config.websocket().path());
        this.metrics = config.metrics().enabled();
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Runs every step in order and stops at the first that fails.
     *
     * @return the names of the steps, in the order run
     */
    List<String> run() throws StepFailure {
        // The client's callbacks run on these threads; daemons, so a stuck one cannot keep the
        // JVM alive, and shut down below so none outlives the run.
        ExecutorService clientThreads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "warmup-client");
            t.setDaemon(true);
            return t;
        });
        try {
            // HTTP/1.1 as browsers and probes speak it to this server: the client's default would
            // add an h2c upgrade attempt to every request, a path no real client takes.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(STEP_TIMEOUT).executor(clientThreads).build();
            httpRoutes(http);
            webSocketSession(http);
            return List.copyOf(done);
        } finally {
            clientThreads.shutdownNow();
        }
    }

    private void httpRoutes(HttpClient http) throws StepFailure {
        get(http, "GET /health/live", publicBase.resolve("/health/live"), 200);
        get(http, "GET /health/ready", publicBase.resolve("/health/ready"), 200);
        get(http, "GET / (demo page)", publicBase.resolve("/"), 200);
        get(http, "GET unknown route (404)", publicBase.resolve("/warmup-no-such-route"), 404);
        if (adminBase != null) {
            get(http, "admin GET /health/live", adminBase.resolve("/health/live"), 200);
            get(http, "admin GET /health/ready", adminBase.resolve("/health/ready"), 200);
            if (metrics) {
                get(http, "admin GET /metrics", adminBase.resolve("/metrics"), 200);
            }
        }
    }

    private void webSocketSession(HttpClient http) throws StepFailure {
        Peer a = null;
        Peer b = null;
        try {
            a = step("websocket connect peer a", () -> Peer.open(http, webSocket));
            b = step("websocket connect peer b", () -> Peer.open(http, webSocket));
            Peer peerA = a;
            Peer peerB = b;
            String idA = step("welcome peer a", () -> peerA.expect("welcome", PEER_ID));
            String idB = step("welcome peer b", () -> peerB.expect("welcome", PEER_ID));
            step("join peer a", () -> {
                peerA.send("{\"type\":\"join\",\"room\":\"" + ROOM + "\",\"id\":\"a1\"}");
                return peerA.expect("joined", TYPE);
            });
            step("join peer b", () -> {
                peerB.send("{\"type\":\"join\",\"room\":\"" + ROOM + "\",\"id\":\"b1\"}");
                peerB.expect("joined", TYPE);
                return peerA.expect("peer-joined", PEER_ID);
            });
            relay("relay offer b to a", "offer", peerB, idB, peerA, idA);
            relay("relay answer a to b", "answer", peerA, idA, peerB, idB);
            relay("relay candidate b to a", "candidate", peerB, idB, peerA, idA);
            step("ping peer a", () -> {
                peerA.send("{\"type\":\"ping\",\"id\":\"a2\"}");
                return peerA.expect("pong", TYPE);
            });
            step("unknown message type (error)", () -> {
                peerA.send("{\"type\":\"warmup\"}");
                String code = peerA.expect("error", CODE);
                if (!code.equals("unknown-type")) {
                    throw new IllegalStateException("expected error code unknown-type, got " + code);
                }
                return code;
            });
            step("leave peer a", () -> {
                peerA.send("{\"type\":\"leave\"}");
                peerA.expect("left", TYPE);
                return peerB.expect("peer-left", PEER_ID);
            });
            // Closed by the clients, a left peer and one still in its room, and only done once the
            // node answered the close: no socket is left for the drain to wait on.
            step("close peer a", peerA::close);
            step("close peer b (in its room)", peerB::close);
        } finally {
            if (a != null) {
                a.abort();
            }
            if (b != null) {
                b.abort();
            }
        }
    }

    private void relay(String name, String type, Peer sender, String senderId, Peer receiver, String receiverId)
            throws StepFailure {
        step(name, () -> {
            sender.send("{\"type\":\"" + type + "\",\"to\":\"" + receiverId + "\",\"payload\":" + PAYLOAD + "}");
            String from = receiver.expect(type, FROM);
            if (!from.equals(senderId)) {
                throw new IllegalStateException(type + " arrived from " + from + ", sent by " + senderId);
            }
            return from;
        });
    }

    private void get(HttpClient http, String name, URI uri, int expected) throws StepFailure {
        step(name, () -> {
            HttpResponse<String> response = http.sendAsync(HttpRequest.newBuilder(uri).timeout(STEP_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != expected) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ", expected " + expected);
            }
            return response.statusCode();
        });
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    private <T> T step(String name, Action<T> action) throws StepFailure {
        long begun = System.nanoTime();
        T result;
        try {
            result = action.run();
        } catch (TimeoutException e) {
            throw new StepFailure(name, "no answer within " + STEP_TIMEOUT.toSeconds() + "s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StepFailure(name, describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure(name, "interrupted", e);
        } catch (Exception e) {
            throw new StepFailure(name, describe(e), e);
        }
        done.add(name);
        log.info("warmup step", "step", name, "ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
        return result;
    }

    private static String describe(Throwable e) {
        if (e instanceof WebSocketHandshakeException refused) {
            // It carries no message, only the response: the status says why (403 origin, 503 full).
            return "upgrade refused with HTTP " + refused.getResponse().statusCode();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static URI base(String scheme, InetSocketAddress address) {
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create(scheme + "://" + host + ":" + address.getPort() + "/");
    }

    /**
     * One WebSocket client: each text message it receives, queued whole. When the node closes the
     * socket (or it fails), a marker is queued behind the messages, so a step waiting for a message
     * that can no longer come fails at once with the close code instead of timing out.
     */
    private static final class Peer implements WebSocket.Listener {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closedByNode = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile String closedHow;
        @SuppressWarnings("StringOperationCanBeSimplified")
        private final String closedMarker = new String("closed"); // compared by identity: never a message
        private WebSocket socket;

        static Peer open(HttpClient http, URI uri) throws Exception {
            Peer peer = new Peer();
            peer.socket = http.newWebSocketBuilder()
                    .connectTimeout(STEP_TIMEOUT)
                    .header("Origin", Cli.WARMUP_ORIGIN)
                    .buildAsync(uri, peer)
                    .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return peer;
        }

        void send(String json) throws Exception {
            socket.sendText(json, true).get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The next message, which must be of {@code type}; returns its string field {@code field}. */
        String expect(String type, String field) throws Exception {
            String message = received.poll(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new TimeoutException("no '" + type + "' message within " + STEP_TIMEOUT.toSeconds() + "s");
            }
            if (message == closedMarker) {
                received.add(closedMarker);
                throw new IllegalStateException("expected a '" + type + "' message, but " + closedHow);
            }
            JsonNode parsed;
            try {
                parsed = JSON.readTree(message);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("expected a '" + type + "' message, got invalid JSON: " + message, e);
            }
            if (!type.equals(parsed.path(TYPE).textValue())) {
                throw new IllegalStateException("expected a '" + type + "' message, got " + message);
            }
            String value = parsed.path(field).textValue();
            if (value == null) {
                throw new IllegalStateException("'" + type + "' message without the expected field: " + message);
            }
            return value;
        }

        /** Sends a normal close and waits for the node's close in answer. */
        Integer close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "warmup done").get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return closedByNode.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        void abort() {
            socket.abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedHow = "the node closed the socket with " + statusCode + (reason.isEmpty() ? "" : " (" + reason + ")");
            received.add(closedMarker);
            closedByNode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedHow = "the socket failed: " + describe(error);
            received.add(closedMarker);
            closedByNode.completeExceptionally(new IOException("WebSocket failed: " + describe(error), error));
        }
    }
}
