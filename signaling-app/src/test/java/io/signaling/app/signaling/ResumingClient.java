package io.signaling.app.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A small protocol v1.1 client for the tests: numbers its own messages, checks that the server's
 * {@code seq} goes up by exactly one (recording every anomaly instead of hiding it), and resumes
 * with {@code resume} and {@code lastSeq}, then sends again what the server had not processed.
 * The test drives it; it never reconnects by itself.
 */
final class ResumingClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String accessToken;
    private final Object lock = new Object();
    private final List<JsonNode> received = new ArrayList<>();
    private final List<String> anomalies = new ArrayList<>();
    private final List<long[]> numberedIndex = new ArrayList<>();
    private final List<String> numberedText = new ArrayList<>();
    private volatile WebSocket ws;
    private volatile Connection current;
    private String peerId;
    private String token;
    private long lastSeq;
    private long clientSeq;
    private JsonNode welcome;

    ResumingClient(HttpClient http, String accessToken) {
        this.http = http;
        this.accessToken = accessToken;
    }

    /** One socket's listener; a stale one (replaced by a resume) is ignored. */
    private final class Connection implements WebSocket.Listener {
        final CompletableFuture<JsonNode> welcomed = new CompletableFuture<>();
        final CompletableFuture<Integer> lost = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                accept(this, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            lost.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lost.complete(1006);
        }
    }

    private void accept(Connection from, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (Exception e) {
            synchronized (lock) {
                anomalies.add("not JSON: " + text);
            }
            return;
        }
        synchronized (lock) {
            if (from != current) {
                return;
            }
            if ("welcome".equals(message.path("type").asText())) {
                if (message.has("seq")) {
                    anomalies.add("welcome with seq: " + text);
                }
                welcome = message;
                from.welcomed.complete(message);
                return;
            }
            if (!message.has("seq")) {
                anomalies.add("no seq: " + text);
            } else if (message.get("seq").asLong() != lastSeq + 1) {
                anomalies.add("seq " + message.get("seq").asLong() + " after " + lastSeq + ": " + text);
            } else {
                lastSeq = message.get("seq").asLong();
            }
            received.add(message);
            lock.notifyAll();
        }
    }

    /** Opens a fresh session through {@code base} (ws://host:port/ws). */
    JsonNode open(URI base) throws Exception {
        return connect(base, null);
    }

    /**
     * Resumes through {@code base}; on success sends again every numbered message above the
     * server's {@code lastClientSeq}. Returns the welcome.
     */
    JsonNode resume(URI base) throws Exception {
        String presented;
        long seenSeq;
        synchronized (lock) {
            current = null;
            presented = token;
            seenSeq = lastSeq;
        }
        JsonNode w = connect(base, "resume=" + URLEncoder.encode(presented, StandardCharsets.UTF_8) + "&lastSeq=" + seenSeq);
        if (w.path("resumed").asBoolean(false)) {
            long processed = w.path("lastClientSeq").asLong();
            List<String> again = new ArrayList<>();
            synchronized (lock) {
                for (int i = 0; i < numberedIndex.size(); i++) {
                    if (numberedIndex.get(i)[0] > processed) {
                        again.add(numberedText.get(i));
                    }
                }
            }
            for (String text : again) {
                ws.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } else {
            synchronized (lock) {
                // A new session: numbers start again, and nothing old is sent again.
                lastSeq = 0;
                clientSeq = 0;
                numberedIndex.clear();
                numberedText.clear();
            }
        }
        return w;
    }

    /** Resumes with an explicit token and lastSeq (for the refusal cases); returns the welcome. */
    JsonNode resumeWith(URI base, String presentedToken, long presentedLastSeq) throws Exception {
        synchronized (lock) {
            current = null;
            lastSeq = 0;
        }
        return connect(base, "resume=" + URLEncoder.encode(presentedToken, StandardCharsets.UTF_8)
                + "&lastSeq=" + presentedLastSeq);
    }

    private JsonNode connect(URI base, String query) throws Exception {
        StringBuilder q = new StringBuilder();
        if (accessToken != null) {
            q.append("access_token=").append(URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        }
        if (query != null) {
            q.append(q.length() > 0 ? "&" : "").append(query);
        }
        URI uri = q.length() == 0 ? base : URI.create(base + "?" + q);
        Connection connection = new Connection();
        synchronized (lock) {
            current = connection;
        }
        ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).subprotocols("signaling.v1.1")
                .buildAsync(uri, connection).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode w = connection.welcomed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        synchronized (lock) {
            peerId = w.path("peerId").asText();
            token = w.path("resumeToken").asText(null);
        }
        return w;
    }

    /** Completes with the close code (1006 for a drop) when the current socket is lost. */
    CompletableFuture<Integer> lost() {
        Connection c = current;
        return c == null ? CompletableFuture.completedFuture(1006) : c.lost;
    }

    /** Sends without a number (as v1). */
    void send(String json) throws Exception {
        ws.sendText(json, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Numbers {@code json} (an object) with the next client seq, remembers it for a resume and
     * sends it; a send into a dead socket is not an error (the resume sends it again).
     */
    void sendNumbered(String json) {
        String text;
        synchronized (lock) {
            long seq = ++clientSeq;
            text = json.substring(0, json.lastIndexOf('}')) + ",\"seq\":" + seq + "}";
            numberedIndex.add(new long[] {seq});
            numberedText.add(text);
        }
        Connection sentOn = current;
        try {
            ws.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            // Lost with the socket; resent after the resume. A failed write is this client's
            // notice of the loss: the JDK client may never call onError for a connection reset
            // that its write side saw first (ResumeTest waited 30 s for it once in CI).
            if (sentOn != null) {
                sentOn.lost.complete(1006);
            }
        }
    }

    void join(String room) throws Exception {
        send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        await(m -> "joined".equals(m.path("type").asText()), "joined");
    }

    /** Waits until a received message matches; returns it. */
    JsonNode await(Predicate<JsonNode> match, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (lock) {
            while (true) {
                for (JsonNode m : received) {
                    if (match.test(m)) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(peerId + " did not receive " + what + "; got " + received);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /** Waits until {@code count} messages match. */
    void awaitCount(Predicate<JsonNode> match, int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (lock) {
            while (received.stream().filter(match).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(peerId + " received " + received.stream().filter(match).count()
                            + " of " + count + " " + what);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    List<JsonNode> received() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    List<String> anomalies() {
        synchronized (lock) {
            return List.copyOf(anomalies);
        }
    }

    String peerId() {
        synchronized (lock) {
            return peerId;
        }
    }

    String token() {
        synchronized (lock) {
            return token;
        }
    }

    long lastSeq() {
        synchronized (lock) {
            return lastSeq;
        }
    }

    JsonNode welcome() {
        synchronized (lock) {
            return welcome;
        }
    }

    @Override
    public void close() {
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
    }
}
