package io.signaling.app.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** A JDK WebSocket client speaking signaling v1: every received text message queued as JSON. */
final class ProcessWsClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> received;
    private final CompletableFuture<Integer> closeCode;

    private ProcessWsClient(WebSocket socket, BlockingQueue<JsonNode> received, CompletableFuture<Integer> closeCode) {
        this.socket = socket;
        this.received = received;
        this.closeCode = closeCode;
    }

    /** Opens the socket; the returned future fails when the server refuses the upgrade. */
    static CompletableFuture<ProcessWsClient> connect(HttpClient http, URI uri, String origin) {
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        received.add(JSON.readTree(partial.toString()));
                    } catch (Exception e) {
                        received.add(JSON.createObjectNode().put("type", "client-parse-failure").put("raw", partial.toString()));
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
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
        };
        return http.newWebSocketBuilder()
                .connectTimeout(TIMEOUT)
                .header("Origin", origin)
                .buildAsync(uri, listener)
                .thenApply(ws -> new ProcessWsClient(ws, received, closeCode));
    }

    static ProcessWsClient open(HttpClient http, URI uri, String origin) throws Exception {
        return connect(http, uri, origin).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    void send(String json) throws Exception {
        socket.sendText(json, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The next message, which must have this type. */
    JsonNode expect(String type) throws InterruptedException {
        JsonNode message = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (message == null) {
            fail("no '%s' message within %s", type, TIMEOUT);
        }
        assertThat(message.path("type").asText()).as("type of %s", message).isEqualTo(type);
        return message;
    }

    /** The close code the server sent. */
    int awaitCloseCode() throws Exception {
        return closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // Already closed by the server or broken: abort below releases it either way.
        } finally {
            socket.abort();
        }
    }
}
