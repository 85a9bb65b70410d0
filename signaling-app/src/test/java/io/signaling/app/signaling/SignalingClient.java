package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A signaling peer on the JDK's {@link WebSocket}: one frame requested at a time, fragments
 * reassembled, sends serialized (the JDK forbids overlapping sends), every received frame kept in
 * arrival order in a queue that the test reads with bounded waits. {@link #close()} aborts the
 * TCP connection without a close frame; {@link #closeNormally()} performs the close handshake.
 */
final class SignalingClient implements WebSocket.Listener, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * The close frame the server sent, or 1006 when the connection ended without one.
     *
     * @param atNanos {@link System#nanoTime()} when the client saw it
     */
    record Closed(int code, String reason, long atNanos) {
    }

    /** Queued when the connection ends; no JSON text frame can start with NUL. */
    private static final String CLOSED_MARK = "\u0000closed";
    private static final AtomicInteger BARRIERS = new AtomicInteger();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket webSocket;
    private JsonNode welcome;

    static CompletableFuture<SignalingClient> connectAsync(HttpClient http, URI uri) {
        return connectAsync(http.newWebSocketBuilder(), uri);
    }

    /** Connects through {@code builder}, e.g. one with extra request headers. */
    static CompletableFuture<SignalingClient> connectAsync(WebSocket.Builder builder, URI uri) {
        SignalingClient client = new SignalingClient();
        return builder.connectTimeout(WAIT).buildAsync(uri, client).thenApply(ws -> {
            client.webSocket = ws;
            return client;
        });
    }

    /** Connects and reads the {@code welcome}. */
    static SignalingClient connect(HttpClient http, URI uri) throws Exception {
        SignalingClient client = connectAsync(http, uri).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        client.readWelcome();
        return client;
    }

    JsonNode readWelcome() {
        welcome = next("welcome");
        return welcome;
    }

    JsonNode welcome() {
        return welcome;
    }

    String peerId() {
        return welcome.get("peerId").asText();
    }

    // ------------------------------------------------------------------ listener

    @Override
    public void onOpen(WebSocket ws) {
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        frames.add("<binary>");
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason, System.nanoTime()));
        frames.add(CLOSED_MARK);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error), System.nanoTime()));
        frames.add(CLOSED_MARK);
    }

    // ------------------------------------------------------------------ sending

    synchronized void send(String text) throws Exception {
        webSocket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    synchronized void sendBinary(byte[] data) throws Exception {
        webSocket.sendBinary(ByteBuffer.wrap(data), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends and returns the next frame, which must be the reply. */
    JsonNode request(String text) throws Exception {
        send(text);
        return next();
    }

    JsonNode join(String room) throws Exception {
        JsonNode joined = request("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        assertThat(joined.path("type").asText()).as("reply to join: %s", joined).isEqualTo("joined");
        return joined;
    }

    void relay(String type, String to, String payload) throws Exception {
        send(relayFrame(type, to, payload));
    }

    /** The text of a relay ({@code offer}, {@code answer}, {@code candidate}) to {@code to}. */
    static String relayFrame(String type, String to, String payload) {
        return "{\"type\":\"" + type + "\",\"to\":\"" + to + "\",\"payload\":" + payload + "}";
    }

    /**
     * Proves that nothing is queued for this client ahead of a fresh {@code pong}: the server
     * handles a connection's frames in order and its queue is FIFO, so anything caused before the
     * ping was handed off would arrive before the pong.
     */
    void assertNothingPending() throws Exception {
        String id = "barrier-" + BARRIERS.incrementAndGet();
        send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        JsonNode reply = next();
        if (reply.has("seq")) {
            // A v1.1 session numbers every message after welcome, the pong included.
            assertThat(reply.path("seq").isIntegralNumber() && reply.path("seq").asLong() > 0)
                    .as("seq of %s", reply).isTrue();
            reply = ((com.fasterxml.jackson.databind.node.ObjectNode) reply.deepCopy()).without("seq");
        }
        assertThat(reply.toString()).as("the next frame after nothing more was expected")
                .isEqualTo("{\"type\":\"pong\",\"id\":\"" + id + "\"}");
    }

    /**
     * Sends a {@code ping} and returns every frame that arrives before its {@code pong}: all that
     * was handed off for this client before the ping was handled.
     */
    List<JsonNode> framesBeforeBarrier() throws Exception {
        String id = "barrier-" + BARRIERS.incrementAndGet();
        send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        List<JsonNode> before = new ArrayList<>();
        for (JsonNode frame = next(); !isPong(frame, id); frame = next()) {
            before.add(frame);
        }
        return before;
    }

    /**
     * As {@link #framesBeforeBarrier}, for a connection that may be over its rate limit: the
     * barrier ping is repeated (once a second, the bucket refills) until its pong arrives, and
     * the answers to barrier pings that were dropped (their {@code rate-limited} errors) are
     * left out.
     */
    List<JsonNode> framesBeforeBarrierAllowingRateLimit() throws Exception {
        String id = "barrier-" + BARRIERS.incrementAndGet();
        List<JsonNode> before = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos() * 3;
        while (System.nanoTime() < deadline) {
            send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
            String raw;
            while ((raw = frames.poll(1, TimeUnit.SECONDS)) != null) {
                if (CLOSED_MARK.equals(raw)) {
                    frames.add(CLOSED_MARK);
                    return fail("connection closed before the barrier: " + closed.getNow(null));
                }
                JsonNode frame = parse(raw);
                if (isPong(frame, id)) {
                    return before;
                }
                if (!id.equals(frame.path("id").asText())) {
                    before.add(frame);
                }
            }
        }
        return fail("no pong for the barrier within " + WAIT.multipliedBy(3));
    }

    private static boolean isPong(JsonNode frame, String id) {
        return frame.path("type").asText().equals("pong") && frame.path("id").asText().equals(id);
    }

    // ------------------------------------------------------------------ receiving

    /** The next frame's raw text; fails if none arrives in time or the connection closed first. */
    String nextRaw() {
        String frame;
        try {
            frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (frame == null) {
            return fail("no frame within " + WAIT);
        }
        if (CLOSED_MARK.equals(frame)) {
            frames.add(CLOSED_MARK);
            return fail("connection closed before the next frame: " + closed.getNow(null));
        }
        return frame;
    }

    JsonNode next() {
        return parse(nextRaw());
    }

    JsonNode next(String type) {
        JsonNode node = next();
        assertThat(node.path("type").asText()).as("type of %s", node).isEqualTo(type);
        return node;
    }

    /** The frames still queued, without waiting, the close marker excluded. */
    List<String> drainQueued() {
        List<String> out = new ArrayList<>();
        frames.drainTo(out);
        out.removeIf(CLOSED_MARK::equals);
        return out;
    }

    /** Waits for the server's close and returns it with every frame received before it. */
    Closed awaitClosed() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    CompletableFuture<Closed> closed() {
        return closed;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("server sent a frame that is not JSON: " + text, e);
        }
    }

    /** Ends the connection with a close handshake (code 1000). */
    void closeNormally() throws Exception {
        synchronized (this) {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        awaitClosed();
    }

    /** Drops the TCP connection without a close frame. */
    @Override
    public void close() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }
}
