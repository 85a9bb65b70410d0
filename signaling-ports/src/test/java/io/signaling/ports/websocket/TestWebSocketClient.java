package io.signaling.ports.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real client on the JDK's {@link java.net.http.WebSocket}: requests one message at a time
 * (the JDK's flow control), reassembles fragments, and serializes its own sends, which the JDK
 * forbids to overlap. It answers pings automatically (the JDK does).
 */
public final class TestWebSocketClient implements WebSocket.Listener, AutoCloseable {

    /** The close the server sent. */
    public record Closed(int code, String reason) {
    }

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final CompletableFuture<Throwable> error = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket webSocket;

    private TestWebSocketClient() {
    }

    public static CompletableFuture<TestWebSocketClient> connectAsync(HttpClient http, URI uri,
                                                                      Map<String, String> headers) {
        TestWebSocketClient client = new TestWebSocketClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        return builder.buildAsync(uri, client).thenApply(ws -> {
            client.webSocket = ws;
            return client;
        });
    }

    /** Connects offering these WebSocket subprotocols ({@code Sec-WebSocket-Protocol}). */
    public static CompletableFuture<TestWebSocketClient> connectAsync(HttpClient http, URI uri,
                                                                      Map<String, String> headers,
                                                                      List<String> subprotocols) {
        TestWebSocketClient client = new TestWebSocketClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        return builder.buildAsync(uri, client).thenApply(ws -> {
            client.webSocket = ws;
            return client;
        });
    }

    /** The subprotocol the server selected, or {@code ""}. */
    public String subprotocol() {
        return webSocket.getSubprotocol();
    }

    public static TestWebSocketClient connect(HttpClient http, URI uri) throws Exception {
        return connectAsync(http, uri, Map.of()).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(WebSocket ws) {
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        synchronized (partial) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable failure) {
        error.complete(failure);
        closed.completeExceptionally(failure);
    }

    public synchronized void send(String text) throws Exception {
        webSocket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    public synchronized void sendBinary(byte[] data) throws Exception {
        webSocket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
    }

    public synchronized void sendClose(int code, String reason) throws Exception {
        webSocket.sendClose(code, reason).get(10, TimeUnit.SECONDS);
    }

    public List<String> messages() {
        return messages;
    }

    public CompletableFuture<Closed> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone() && !webSocket.isInputClosed();
    }

    @Override
    public void close() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }
}
