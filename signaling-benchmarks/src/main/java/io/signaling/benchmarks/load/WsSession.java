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
 * <p>Two transports: the JDK WebSocket (this class is its listener), or one connection of
 * {@link NioWebSockets} (which calls {@link #deliver}, {@link #closedBy} and {@link #failed} from
 * its selector thread). The JDK WebSocket refuses a send while the previous one is pending, so its
 * sends go through a lock-free queue drained one at a time. Callbacks are serial per socket on
 * either transport; {@link #send} may be called from any thread.
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
    private volatile NioWebSockets.Connection nio;
    /** System.nanoTime() when the message being delivered was parsed; read by handlers. */
    private long receivedNanos;
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
        return (ws != null || nio != null) && !closed;
    }

    /** When the message now being handed to {@link Handler#onMessage} was received. */
    long receivedNanos() {
        return receivedNanos;
    }

    /** Called by the selector client once the handshake succeeded, before any delivery. */
    void attach(NioWebSockets.Connection connection) {
        this.nio = connection;
    }

    int closeCode() {
        return closeCode;
    }

    void send(String text) {
        send(text, null);
    }

    void send(String text, Object tag) {
        NioWebSockets.Connection c = nio;
        if (c != null) {
            c.send(text, tag);
            return;
        }
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

    /** A send the transport could not complete; tells the handler. */
    void sendFailed(Object tag, Throwable error) {
        handler.onSendFailed(this, tag, error);
    }

    /** Starts a normal close; the server's close reply (or {@link #abort}) ends the socket. */
    void close() {
        NioWebSockets.Connection c = nio;
        if (c != null) {
            c.close();
            return;
        }
        WebSocket w = ws;
        if (w != null && !w.isOutputClosed()) {
            w.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(ex -> null);
        }
    }

    void abort() {
        NioWebSockets.Connection c = nio;
        if (c != null) {
            c.abort();
        }
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
        long now = System.nanoTime();
        String text;
        if (partial.length() > 0) {
            text = partial.append(data).toString();
            partial.setLength(0);
        } else {
            text = data.toString();
        }
        webSocket.request(1);
        deliver(text, now);
        return null;
    }

    /** One complete text message, received at {@code nanos}: bookkeeping, then the handler. */
    void deliver(String text, long nanos) {
        receivedNanos = nanos;
        if (text.isEmpty() || text.charAt(0) != '{') {
            handler.onMessage(this, null, null, text);
            return;
        }
        Map<String, String> msg;
        try {
            msg = MiniJson.parseObject(text);
        } catch (IllegalArgumentException e) {
            handler.onMessage(this, null, null, text);
            return;
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
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closedBy(statusCode, reason);
        return null;
    }

    /** The server closed the socket with {@code statusCode}. */
    void closedBy(int statusCode, String reason) {
        closeCode = statusCode;
        closed = true;
        closedFuture.complete(null);
        failPending(new IllegalStateException("closed by server: " + statusCode + " " + reason));
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        failed(error);
    }

    /** The socket failed or was aborted. */
    void failed(Throwable error) {
        closed = true;
        closedFuture.complete(null);
        failPending(error);
    }

    private void failPending(Throwable error) {
        welcome.completeExceptionally(error);
        joined.completeExceptionally(error);
    }
}
