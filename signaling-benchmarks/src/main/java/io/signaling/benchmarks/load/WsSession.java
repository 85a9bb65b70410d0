package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client WebSocket: reassembles frames, tracks welcome/joined, and serializes sends.
 *
 * <p>Two transports: the JDK WebSocket (this class is its listener), or one connection of
 * {@link NioWebSockets} (which calls {@link #deliver}, {@link #closedBy} and {@link #failed} from
 * its selector thread). The JDK WebSocket refuses a send while the previous one is pending, so its
 * sends go through a lock-free queue drained one at a time. Callbacks are serial per socket on
 * either transport; {@link #send} may be called from any thread.
 *
 * <p>With v1.1 ({@link V11}) the session outlives its socket: every message it sends is numbered
 * ({@code seq}) and kept until the server is known to have processed it (a {@code pong} to a ping
 * sent after it, or the {@code lastClientSeq} of a resumed {@code welcome}); every server
 * {@code seq} is checked (a duplicate is dropped, a gap counted). When the socket is lost without a
 * clean end (no close frame, or 1001 as in a drain) it connects again with
 * {@code resume=<token>&lastSeq=<n>} until the resume window ends, and on {@code resumed:true}
 * sends again, in order, what the server had not processed. The numbering, the kept messages and
 * the switch of transport are guarded by this object's monitor, so nothing new overtakes a resend.
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

    private record Numbered(long seq, String text, Object tag) {
    }

    /** Opens one more transport for a session (the fleet's client); completes when it is attached. */
    interface Connector {
        CompletableFuture<Void> connect(URI uri, WsSession session);
    }

    /**
     * What a v1.1 session needs beyond a v1 one; shared by every session of a fleet.
     *
     * @param others where else a resume may go when {@code baseUri} cannot be reached (another node
     *               of the same cluster, as a load balancer would pick after a drain): tried in turn
     */
    record V11(URI baseUri, Connector connector, ResumeStats stats, ScheduledExecutorService timer, List<URI> others) {
        static final String SUBPROTOCOL = "signaling.v1.1";

        V11(URI baseUri, Connector connector, ResumeStats stats, ScheduledExecutorService timer) {
            this(baseUri, connector, stats, timer, List.of());
        }

        /** The target after {@code current} in the cycle base, others…; the base when there are no others. */
        URI next(URI current) {
            if (others.isEmpty()) {
                return baseUri;
            }
            List<URI> all = new java.util.ArrayList<>(others.size() + 1);
            all.add(baseUri);
            all.addAll(others);
            int i = all.indexOf(current);
            return all.get((i + 1) % all.size());
        }

        static ScheduledExecutorService newTimer() {
            return Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "load-resume");
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** A ping after every this many numbered messages keeps the kept (unacknowledged) ones few. */
    private static final long ACK_EVERY = 32;
    private static final String ACK_PREFIX = "lt-ack-";

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

    // v1.1; null on a v1 session. The rest below is guarded by `this` unless volatile.
    private final V11 v11;
    private long clientSeq;
    private final ArrayDeque<Numbered> unacknowledged = new ArrayDeque<>();
    /** A transport whose welcome arrived: numbered sends go out at once (else they wait for the resume). */
    private boolean live;
    private volatile long lastSeq;
    private volatile String resumeToken;
    private volatile long resumeWindowMs;
    private volatile boolean closing;
    private long lostAtNanos;
    private int attempt;
    /** Where the next resume goes: the base URI, or the last target that answered. */
    private volatile URI resumeTarget;

    WsSession(int index, Handler handler, ErrorCounts errors) {
        this(index, handler, errors, null);
    }

    WsSession(int index, Handler handler, ErrorCounts errors, V11 v11) {
        this.index = index;
        this.handler = handler;
        this.errors = errors;
        this.v11 = v11;
    }

    /** The subprotocol to ask for, or null (v1). */
    String subprotocol() {
        return v11 == null ? null : V11.SUBPROTOCOL;
    }

    /** The highest server seq received (v1.1). */
    long lastSeq() {
        return lastSeq;
    }

    void handler(Handler h) {
        this.handler = h;
    }

    String peerId() {
        return peerId;
    }

    boolean isOpen() {
        if (v11 != null) {
            synchronized (this) {
                return live && !closed;
            }
        }
        return (ws != null || nio != null) && !closed;
    }

    /** When the message now being handed to {@link Handler#onMessage} was received. */
    long receivedNanos() {
        return receivedNanos;
    }

    /** Called by the selector client once the handshake succeeded, before any delivery. */
    void attach(NioWebSockets.Connection connection) {
        partial.setLength(0);
        this.nio = connection;
    }

    int closeCode() {
        return closeCode;
    }

    void send(String text) {
        send(text, null);
    }

    void send(String text, Object tag) {
        if (v11 != null && text.startsWith("{")) {
            sendNumbered(text, tag);
            return;
        }
        transportSend(text, tag);
    }

    private synchronized void sendNumbered(String text, Object tag) {
        long seq = ++clientSeq;
        String numbered = "{\"seq\":" + seq + "," + text.substring(1);
        unacknowledged.add(new Numbered(seq, numbered, tag));
        if (!live) {
            return; // goes out after the resume, in order
        }
        transportSend(numbered, tag);
        if (seq % ACK_EVERY == 0) {
            transportSend("{\"type\":\"ping\",\"id\":\"" + ACK_PREFIX + seq + "\"}", null);
        }
    }

    private synchronized void acknowledge(long seq) {
        while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().seq() <= seq) {
            unacknowledged.pollFirst();
        }
    }

    private void transportSend(String text, Object tag) {
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
                    reportSendFailed(next.tag, ex);
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
            reportSendFailed(out.tag, error);
        }
    }

    /** A send the transport could not complete; tells the handler. */
    void sendFailed(Object tag, Throwable error) {
        reportSendFailed(tag, error);
    }

    private void reportSendFailed(Object tag, Throwable error) {
        if (v11 != null) {
            return; // kept, and sent again after the resume (or the session ends and says so)
        }
        handler.onSendFailed(this, tag, error);
    }

    /** Starts a normal close; the server's close reply (or {@link #abort}) ends the socket. */
    void close() {
        closing = true;
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

    /**
     * Stops reading (a slow consumer): the nio transport only. Frames already read still arrive;
     * nothing new is read until {@link #resumeReading}.
     */
    void pauseReading() {
        NioWebSockets.Connection c = nio;
        if (c == null) {
            throw new IllegalStateException("pausing reads needs the nio transport, attached");
        }
        c.pauseReading();
    }

    /** Reads again after {@link #pauseReading}. */
    void resumeReading() {
        NioWebSockets.Connection c = nio;
        if (c != null) {
            c.resumeReading();
        }
    }

    void abort() {
        closing = true;
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
        partial.setLength(0);
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
        if (v11 != null) {
            if ("welcome".equals(type)) {
                if (!welcomeV11(msg)) {
                    return;
                }
            } else if (!sequenced(msg)) {
                return;
            }
            if ("pong".equals(type)) {
                String id = MiniJson.string(msg, "id");
                if (id != null && id.startsWith(ACK_PREFIX)) {
                    acknowledge(Long.parseLong(id.substring(ACK_PREFIX.length())));
                }
            } else if ("goaway".equals(type) && MiniJson.string(msg, "resumeToken") != null) {
                resumeToken = MiniJson.string(msg, "resumeToken");
            }
        }
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

    /** Checks and records a server seq; false when the message was seen already (dropped). */
    private boolean sequenced(Map<String, String> msg) {
        long seq = MiniJson.number(msg, "seq", -1);
        if (seq < 0) {
            return true;
        }
        long last = lastSeq;
        if (seq <= last) {
            v11.stats().duplicateSeq.increment();
            return false;
        }
        if (seq != last + 1) {
            v11.stats().seqGaps.increment();
        }
        lastSeq = seq;
        return true;
    }

    /** A v1.1 welcome: the first, a resume, or a resume refused. False when it must not go on to the handler. */
    private boolean welcomeV11(Map<String, String> msg) {
        resumeToken = MiniJson.string(msg, "resumeToken");
        Map<String, String> limits = msg.get("limits") == null ? Map.of() : MiniJson.parseObject(msg.get("limits"));
        resumeWindowMs = MiniJson.number(limits, "resumeWindowMs", 0);
        String id = MiniJson.string(msg, "peerId");
        synchronized (this) {
            if (peerId == null) {
                live = true; // the first welcome; anything queued before it goes now, in order
                resend(0);
                return true;
            }
            if ("true".equals(msg.get("resumed")) && id != null && id.equals(peerId)) {
                v11.stats().resumedAfter(System.nanoTime() - lostAtNanos);
                attempt = 0;
                live = true;
                resend(MiniJson.number(msg, "lastClientSeq", 0));
                return false;
            }
        }
        // A new peer: the session is gone; so is this run's use of it (its room-mates were told it left).
        v11.stats().notResumed.increment();
        closing = true;
        closedFor(-1, new IllegalStateException("resume refused: the server gave a new session"));
        close();
        return false;
    }

    /** Sends again, in order, every kept message above {@code processed}; guarded by the caller. */
    private void resend(long processed) {
        acknowledge(processed);
        for (Numbered n : unacknowledged) {
            if (processed > 0) {
                v11.stats().resent.increment();
            }
            transportSend(n.text(), n.tag());
        }
    }

    /**
     * The transport ended. A v1.1 session that can resume does (the session stays open meanwhile);
     * anything else closes it for good.
     */
    private boolean resumeInstead(int code) {
        if (v11 == null || closed || closing) {
            return false;
        }
        if (code == 4001) {
            v11.stats().replaced.increment();
            return false;
        }
        // Clean ends and protocol violations end the session at the server: nothing to resume.
        if (code == 1000 || code == 1003 || code == 1008 || code == 1009) {
            return false;
        }
        synchronized (this) {
            if (!live) {
                return peerId != null; // a resume attempt failed; its own retry is scheduled
            }
            live = false;
            lostAtNanos = System.nanoTime();
            attempt = 0;
        }
        v11.stats().dropped.increment();
        if (resumeToken == null || resumeWindowMs <= 0) {
            v11.stats().unresumable.increment(); // the server offered no resume (v1.1 without it)
            return false;
        }
        tryResume();
        return true;
    }

    private void tryResume() {
        long deadline;
        synchronized (this) {
            deadline = lostAtNanos + TimeUnit.MILLISECONDS.toNanos(resumeWindowMs);
        }
        if (closing) {
            return;
        }
        if (System.nanoTime() - deadline > 0) {
            v11.stats().gaveUp.increment();
            closedFor(-1, new IllegalStateException("no resume within the resume window"));
            return;
        }
        v11.stats().attempts.increment();
        URI target = resumeTarget == null ? v11.baseUri() : resumeTarget;
        String base = target.toString();
        URI uri = URI.create(base + (target.getRawQuery() == null ? "?" : "&") + "resume="
                + URLEncoder.encode(resumeToken, StandardCharsets.UTF_8) + "&lastSeq=" + lastSeq);
        v11.connector().connect(uri, this).whenComplete((v, ex) -> {
            if (ex != null) {
                long delay;
                synchronized (this) {
                    // Unreachable (a drained node stopped listening): the next target, as a load balancer would.
                    resumeTarget = v11.next(target);
                    delay = Math.min(2000, 50L << Math.min(6, attempt++));
                }
                v11.timer().schedule(this::tryResume, delay, TimeUnit.MILLISECONDS);
            }
        });
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
        if (resumeInstead(statusCode)) {
            return;
        }
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
        if (resumeInstead(-1)) {
            return;
        }
        closed = true;
        closedFuture.complete(null);
        failPending(error);
    }

    private void closedFor(int code, Throwable error) {
        if (code >= 0) {
            closeCode = code;
        }
        closed = true;
        closedFuture.complete(null);
        failPending(error);
    }

    private void failPending(Throwable error) {
        welcome.completeExceptionally(error);
        joined.completeExceptionally(error);
    }
}
