package io.signaling.benchmarks;

import io.signaling.benchmarks.json.MiniJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket test client that queues every text message it receives. */
public final class TestSocket implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket ws;

    public TestSocket(HttpClient client, URI uri) {
        this.ws = client.newWebSocketBuilder().buildAsync(uri, this).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void send(String text) {
        ws.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Next text message, failing after 5 s. */
    public String next() throws InterruptedException {
        String m = messages.poll(5, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 5 s");
        }
        return m;
    }

    /** Next message parsed as a JSON object. */
    public Map<String, String> nextJson() throws InterruptedException {
        return MiniJson.parseObject(next());
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    @Override
    public void close() {
        ws.abort();
    }

    public static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
}
