package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client WebSocket: reassembles frames, tracks welcome/joined, and serializes sends.
 *
 * <p>The JDK WebSocket refuses a send while the previous one is pending, so sends go through a
 * lock-free queue drained one at a time. Listener callbacks are serial per socket (JDK
 * guarantee); {@link #send} may be called from any thread.
 */
final class WsSession implements WebSocket.Listener {

    /** Receives every complete message after the session's own bookkeeping. */
    interface Handler {
        /** {@code msg} and {@code type} are null for a frame that is not a JSON object. */
        void onMessage(WsSession session, String type, Map<String, String> msg, String raw);

        default void onSendFailed(WsSession session, Object tag, Throwable error) {
        }
    }

    private record Outgoing(String text, Object tag) {
    }

    static final String JOIN_ID = "lt-join";

    final int index;
    final CompletableFuture<String> welcome = new CompletableFuture<>();
    final CompletableFuture<String> joined = new CompletableFuture<>();
    /** Completes when the socket is closed by either side, fails or is aborted. */
    final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    final ErrorCounts errors;
    private volatile Handler handler;
    private volatile WebSocket ws;
    private volatile String peerId;
    private volatile boolean closed;
    private volatile int closeCode = -1;
    private final StringBuilder partial = new StringBuilder();
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();

    WsSession(int index, Handler handler, ErrorCounts errors) {
        this.index = index;
        this.handler = handler;
        this.errors = errors;
    }

    void handler(Handler h) {
        this.handler = h;
    }

    String peerId() {
        return peerId;
    }

    boolean isOpen() {
        return ws != null && !closed;
    }

    int closeCode() {
        return closeCode;
    }

    void send(String text) {
        send(text, null);
    }

    void send(String text, Object tag) {
        queue.add(new Outgoing(text, tag));
        drain();
    }

    private void drain() {
        while (sending.compareAndSet(false, true)) {
            Outgoing next = queue.poll();
            if (next == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            CompletableFuture<WebSocket> f;
            try {
                f = ws.sendText(next.text, true);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            if (f.isDone()) {
                settle(next, f);
                sending.set(false);
                continue;
            }
            f.whenComplete((w, ex) -> {
                if (ex != null) {
                    handler.onSendFailed(this, next.tag, ex);
                }
                sending.set(false);
                drain();
            });
            return;
        }
    }

    private void settle(Outgoing out, CompletableFuture<WebSocket> f) {
        if (f.isCompletedExceptionally()) {
            Throwable error = f.handle((w, ex) -> ex).join();
            handler.onSendFailed(this, out.tag, error);
        }
    }

    /** Starts a normal close; the server's close reply (or {@link #abort}) ends the socket. */
    void close() {
        WebSocket w = ws;
        if (w != null && !w.isOutputClosed()) {
            w.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(ex -> null);
        }
    }

    void abort() {
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
        closed = true;
        closedFuture.complete(null);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (!last) {
            partial.append(data);
            webSocket.request(1);
            return null;
        }
        String text;
        if (partial.length() > 0) {
            text = partial.append(data).toString();
            partial.setLength(0);
        } else {
            text = data.toString();
        }
        webSocket.request(1);
        if (text.isEmpty() || text.charAt(0) != '{') {
            handler.onMessage(this, null, null, text);
            return null;
        }
        Map<String, String> msg;
        try {
            msg = MiniJson.parseObject(text);
        } catch (IllegalArgumentException e) {
            handler.onMessage(this, null, null, text);
            return null;
        }
        String type = MiniJson.string(msg, "type");
        if ("welcome".equals(type)) {
            peerId = MiniJson.string(msg, "peerId");
            welcome.complete(peerId);
        } else if ("joined".equals(type)) {
            joined.complete(MiniJson.string(msg, "room"));
        } else if ("error".equals(type)) {
            String code = MiniJson.string(msg, "code");
            errors.add(code);
            if (JOIN_ID.equals(MiniJson.string(msg, "id"))) {
                joined.completeExceptionally(new IllegalStateException("join refused: " + code + " "
                        + MiniJson.string(msg, "message")));
            }
        }
        handler.onMessage(this, type, msg, text);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        closed = true;
        closedFuture.complete(null);
        failPending(new IllegalStateException("closed by server: " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
        closedFuture.complete(null);
        failPending(error);
    }

    private void failPending(Throwable error) {
        welcome.completeExceptionally(error);
        joined.completeExceptionally(error);
    }
}
