package io.signaling.adapter.undertow;

import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.SendFailedException;
import io.signaling.ports.websocket.WebSocketConnection;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.jsr.UndertowSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.XnioIoThread;

/**
 * One Jakarta WebSocket session as a {@link WebSocketConnection}.
 *
 * <p>Outbound: a bounded FIFO (messages and bytes) with exactly one asynchronous write in flight,
 * because the Jakarta API forbids overlapping async sends; the next message is written from the
 * previous one's completion. Inbound: listener events go through a per-connection serial queue
 * drained on the connection's I/O thread, so they never overlap and {@code onClose} comes last,
 * once. Timers (ping, idle, send timeout) are one self-rescheduling task on that I/O thread.
 */
final class JsrWebSocketConnection implements WebSocketConnection {

    private static final ByteBuffer PING = ByteBuffer.wrap(new byte[0]).asReadOnlyBuffer();
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int MAX_REASON_BYTES = 123;

    /** The first close cause wins: who closed, with what code, counted under which reason. */
    private record Closing(int code, String reason, String metricReason) {
    }

    private record Outbound(String text, int bytes, CompletableFuture<Void> done) {
    }

    private final String id;
    private final JsrWebSocketEndpoint endpoint;
    private final UndertowSession session;
    private final WebSocketChannel channel;
    private final XnioIoThread ioThread;
    private final RemoteEndpoint.Async remote;
    private final InetSocketAddress remoteAddress;
    private final Map<String, List<String>> requestHeaders;
    private final TraceContext connectionContext;
    private final Logger log;
    private final long idleNanos;
    private final long pingNanos;
    private final long sendTimeoutNanos;
    private final int maxQueueMessages;
    private final long maxQueueBytes;

    // Outbound state, guarded by `queue`.
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private Outbound inFlight;
    private long inFlightSince;
    private int queuedMessages;
    private long queuedBytes;
    private boolean completedInline;
    private Outbound nextInline;
    private volatile Thread writer;
    private final SendHandler sendHandler = this::onSent;

    private final AtomicReference<Closing> closing = new AtomicReference<>();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final AtomicBoolean binaryRejected = new AtomicBoolean();
    private volatile boolean errorSeen;
    private volatile long lastReceived;
    private volatile Object attachment;

    // Timer state, touched on the I/O thread only.
    private long nextPing;
    private final Runnable tick = this::tick;

    // Listener events: one drainer at a time; `closeDelivered` is read and written by the drainer only.
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private boolean closeDelivered;

    /** Both the socket closing and the listener's onClose returning must happen before the endpoint forgets us. */
    private final AtomicInteger unfinished = new AtomicInteger(2);

    JsrWebSocketConnection(String id, JsrWebSocketEndpoint endpoint, UndertowSession session,
                           Map<String, List<String>> requestHeaders, TraceContext connectionContext) {
        this.id = id;
        this.endpoint = endpoint;
        this.session = session;
        this.channel = session.getWebSocketChannel();
        this.ioThread = channel.getIoThread();
        this.remote = session.getAsyncRemote();
        this.remoteAddress = channel.getSourceAddress();
        this.requestHeaders = requestHeaders;
        this.connectionContext = connectionContext;
        this.log = endpoint.logger().with("connection_id", id);
        var settings = endpoint.settings();
        this.idleNanos = settings.idleTimeout().toNanos();
        this.pingNanos = settings.pingInterval().toNanos();
        this.sendTimeoutNanos = settings.sendTimeout().toNanos();
        this.maxQueueMessages = settings.sendQueueMessages();
        this.maxQueueBytes = settings.sendQueueBytes();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        return requestHeaders;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public boolean isOpen() {
        return closing.get() == null && channel.isOpen();
    }

    Logger log() {
        return log;
    }

    WebSocketChannel channel() {
        return channel;
    }

    // ---------------------------------------------------------------- outbound

    @Override
    public CompletionStage<Void> send(String text) {
        if (text == null) {
            return CompletableFuture.failedFuture(new NullPointerException("text"));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        offer(text, utf8Length(text), done);
        return done;
    }

    /**
     * Queues a message; {@code done} may be null (hub sends that nobody awaits). Returns whether it
     * was queued; when not, {@code done} has been failed already.
     */
    boolean offer(String text, int bytes, CompletableFuture<Void> done) {
        Outbound outbound = new Outbound(text, bytes, done);
        boolean overflow = false;
        boolean startWrite = false;
        synchronized (queue) {
            if (closing.get() != null) {
                fail(done, SendFailedException.Reason.CLOSED);
                return false;
            }
            if (queuedMessages >= maxQueueMessages || queuedBytes + bytes > maxQueueBytes) {
                overflow = true;
            } else {
                queuedMessages++;
                queuedBytes += bytes;
                if (inFlight == null) {
                    inFlight = outbound;
                    inFlightSince = System.nanoTime();
                    startWrite = true;
                } else {
                    queue.addLast(outbound);
                }
            }
        }
        if (overflow) {
            fail(done, SendFailedException.Reason.QUEUE_FULL);
            endpoint.telemetry().overflow();
            log.warn("outbound queue full, closing slow consumer", "queued_messages", maxQueueMessages);
            closeLocally(CloseCodes.POLICY_VIOLATION, CloseCodes.SLOW_CONSUMER_REASON, WebSocketTelemetry.SLOW_CONSUMER,
                    SendFailedException.Reason.QUEUE_FULL, true);
            return false;
        }
        if (startWrite) {
            write(outbound);
        }
        return true;
    }

    /** Writes {@code first}, then, as long as writes complete inline, their successors (no recursion). */
    private void write(Outbound first) {
        Outbound next = first;
        while (next != null) {
            Thread me = Thread.currentThread();
            writer = me;
            try {
                remote.sendText(next.text(), sendHandler);
            } catch (RuntimeException e) {
                sendHandler.onResult(new SendResult(e));
            }
            if (writer == me) {
                writer = null;
            }
            synchronized (queue) {
                if (!completedInline) {
                    return;
                }
                completedInline = false;
                next = nextInline;
                nextInline = null;
            }
        }
    }

    private void onSent(SendResult result) {
        Outbound done;
        Outbound next = null;
        synchronized (queue) {
            done = inFlight;
            if (done == null) {
                return; // failed already by a close
            }
            inFlight = null;
            queuedMessages--;
            queuedBytes -= done.bytes();
            if (result.isOK() && closing.get() == null) {
                next = queue.pollFirst();
                if (next != null) {
                    inFlight = next;
                    inFlightSince = System.nanoTime();
                    if (writer == Thread.currentThread()) {
                        // Completed inside sendText on this very thread: let write()'s loop continue.
                        completedInline = true;
                        nextInline = next;
                        next = null;
                    }
                }
            }
        }
        if (result.isOK()) {
            endpoint.telemetry().sent(done.bytes());
            if (done.done() != null) {
                done.done().complete(null);
            }
        } else {
            fail(done.done(), SendFailedException.Reason.IO_ERROR);
            errorSeen = true;
            if (log.isDebugEnabled()) {
                log.debug("websocket write failed", result.getException());
            }
            abort();
            return;
        }
        if (next != null) {
            write(next);
        }
    }

    private static void fail(CompletableFuture<Void> done, SendFailedException.Reason reason) {
        if (done != null) {
            done.completeExceptionally(new SendFailedException(reason));
        }
    }

    private void failPending(SendFailedException.Reason reason) {
        List<Outbound> failed;
        synchronized (queue) {
            failed = new ArrayList<>(queue.size() + 1);
            if (inFlight != null) {
                failed.add(inFlight);
                inFlight = null;
            }
            failed.addAll(queue);
            queue.clear();
            queuedMessages = 0;
            queuedBytes = 0;
            nextInline = null;
            completedInline = false;
        }
        for (Outbound outbound : failed) {
            fail(outbound.done(), reason);
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close(int code, String reason) {
        if (!isSendableCloseCode(code)) {
            throw new IllegalArgumentException("close code " + code
                    + " cannot be sent in a close frame (use 1000-1003, 1007-1014 or 3000-4999)");
        }
        String metricReason = code == CloseCodes.GOING_AWAY ? WebSocketTelemetry.GOING_AWAY
                : WebSocketTelemetry.reasonOf(code, false);
        closeLocally(code, reason == null ? "" : reason, metricReason, SendFailedException.Reason.CLOSED, false);
    }

    static boolean isSendableCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * Starts our side of the close: the first caller sets the cause; pending sends fail; the
     * close frame goes out; the socket is aborted at once ({@code abortNow}, for peers that do
     * not read) or after a grace period if the peer does not answer the close frame.
     */
    void closeLocally(int code, String reason, String metricReason, SendFailedException.Reason pendingFailure,
                      boolean abortNow) {
        String safeReason = truncateReason(reason);
        if (!closing.compareAndSet(null, new Closing(code, safeReason, metricReason))) {
            if (abortNow) {
                abort();
            }
            return;
        }
        endpoint.hub().remove(this);
        failPending(pendingFailure);
        try {
            // Reports onClose synchronously (see onTransportClosed) with our code.
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), safeReason));
        } catch (IOException | RuntimeException e) {
            log.debug("close frame could not be sent", e);
            abort();
        }
        if (abortNow) {
            abort();
        } else {
            scheduleAbort();
        }
        // A close that did not go through the Jakarta session still has to be reported.
        onTransportClosed(code, safeReason);
    }

    private void scheduleAbort() {
        long graceNanos = Math.min(sendTimeoutNanos, idleNanos);
        try {
            ioThread.executeAfter(this::abortIfOpen, graceNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            abort();
        }
    }

    private void abortIfOpen() {
        if (channel.isOpen()) {
            log.debug("peer did not answer the close frame in time, aborting");
            abort();
        }
    }

    void abort() {
        session.forceClose();
    }

    /** From the Jakarta onClose (remote close, drop, or our own close), and once more from closeLocally. */
    void onTransportClosed(int code, String reason) {
        String metricReason = WebSocketTelemetry.reasonOf(code, errorSeen);
        if (closing.compareAndSet(null, new Closing(code, reason == null ? "" : reason, metricReason))) {
            endpoint.hub().remove(this);
            failPending(SendFailedException.Reason.CLOSED);
        }
        if (!closeReported.compareAndSet(false, true)) {
            return;
        }
        Closing cause = closing.get();
        endpoint.telemetry().closed(cause.metricReason());
        if (log.isDebugEnabled()) {
            log.debug("websocket closed", "code", cause.code(), "reason", cause.reason());
        }
        deliver(() -> {
            closeDelivered = true;
            try {
                endpoint.listener().onClose(this, cause.code(), cause.reason());
            } catch (RuntimeException e) {
                log.error("listener onClose failed", e);
            } finally {
                finishOne();
            }
        });
    }

    /** The socket is gone (Undertow close task). */
    void onChannelClosed() {
        finishOne();
    }

    private void finishOne() {
        if (unfinished.decrementAndGet() == 0) {
            endpoint.finished(this);
        }
    }

    private static String truncateReason(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() * 3 <= MAX_REASON_BYTES) {
            return reason;
        }
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = MAX_REASON_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // never cut a multi-byte character in half
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- inbound (Jakarta callbacks, I/O thread)

    void opened() {
        long now = System.nanoTime();
        lastReceived = now;
        deliver(() -> {
            try {
                endpoint.listener().onOpen(this);
            } catch (RuntimeException e) {
                log.error("listener onOpen failed, closing the connection", e);
                closeLocally(CloseCodes.INTERNAL_ERROR, "internal error", WebSocketTelemetry.ERROR,
                        SendFailedException.Reason.CLOSED, false);
            }
        });
        runOnIoThread(() -> {
            nextPing = System.nanoTime() + pingNanos;
            schedule(Math.min(Math.min(pingNanos, idleNanos), sendTimeoutNanos));
        });
    }

    void onText(String text) {
        lastReceived = System.nanoTime();
        if (closing.get() != null) {
            return;
        }
        endpoint.telemetry().received(utf8Length(text));
        // Fast path: on our I/O thread with nothing queued, run inline and allocate no task.
        if (Thread.currentThread() == ioThread && delivering.compareAndSet(false, true)) {
            if (events.isEmpty()) {
                handleText(text);
            } else {
                events.add(() -> handleText(text));
            }
            drainEvents();
        } else {
            deliver(() -> handleText(text));
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("listener event failed", e);
        }
    }

    private void handleText(String text) {
        if (closeDelivered) {
            return;
        }
        SpanBuilder builder = endpoint.tracer().spanBuilder("websocket.message")
                .kind(SpanKind.SERVER)
                .attribute("websocket.connection.id", id);
        if (connectionContext.isValid()) {
            builder.link(connectionContext);
        }
        Span span = builder.start();
        try (Scope ignored = span.makeCurrent()) {
            endpoint.listener().onText(this, text);
        } catch (RuntimeException e) {
            span.recordError(e).status(SpanStatus.ERROR, e.getClass().getSimpleName());
            log.error("listener onText failed", e);
        } finally {
            span.end();
        }
    }

    void onPong() {
        lastReceived = System.nanoTime();
    }

    void onBinary() {
        lastReceived = System.nanoTime();
        if (binaryRejected.compareAndSet(false, true)) {
            closeLocally(CloseCodes.UNSUPPORTED_DATA, "binary messages are not supported",
                    WebSocketTelemetry.UNSUPPORTED, SendFailedException.Reason.CLOSED, false);
        }
    }

    void onError(Throwable error) {
        if (closing.get() != null || channel.isCloseFrameSent()) {
            // Undertow reports the cause of a close it already started (1009) as an error too.
            if (log.isDebugEnabled()) {
                log.debug("websocket error while closing", error);
            }
            return;
        }
        errorSeen = true;
        log.debug("websocket transport error", error);
        deliver(() -> {
            if (closeDelivered) {
                return;
            }
            try {
                endpoint.listener().onError(this, error);
            } catch (RuntimeException e) {
                log.error("listener onError failed", e);
            }
        });
    }

    // ---------------------------------------------------------------- serial event delivery

    private void deliver(Runnable event) {
        events.add(event);
        if (delivering.compareAndSet(false, true)) {
            if (Thread.currentThread() == ioThread) {
                drainEvents();
            } else {
                runOnIoThread(this::drainEvents);
            }
        }
    }

    private void drainEvents() {
        for (;;) {
            Runnable event;
            while ((event = events.poll()) != null) {
                runSafely(event);
            }
            delivering.set(false);
            if (events.isEmpty() || !delivering.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void runOnIoThread(Runnable task) {
        try {
            ioThread.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // the I/O thread is shutting down: nothing else will run these events
        }
    }

    // ---------------------------------------------------------------- timers (I/O thread)

    private void schedule(long delayNanos) {
        if (closing.get() != null) {
            return;
        }
        try {
            ioThread.executeAfter(tick, Math.max(delayNanos, MIN_TICK_NANOS), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the server is stopping; its close tasks will end this connection
        }
    }

    private void tick() {
        if (closing.get() != null) {
            return;
        }
        long now = System.nanoTime();
        long idleDeadline = lastReceived + idleNanos;
        if (now - idleDeadline >= 0) {
            log.info("closing idle websocket", "idle_timeout_ms", TimeUnit.NANOSECONDS.toMillis(idleNanos));
            closeLocally(CloseCodes.GOING_AWAY, CloseCodes.IDLE_TIMEOUT_REASON, WebSocketTelemetry.IDLE_TIMEOUT,
                    SendFailedException.Reason.CLOSED, false);
            return;
        }
        boolean writing;
        long sendDeadline;
        synchronized (queue) {
            writing = inFlight != null;
            sendDeadline = inFlightSince + sendTimeoutNanos;
        }
        if (writing && now - sendDeadline >= 0) {
            log.warn("send timed out, closing slow consumer", "send_timeout_ms",
                    TimeUnit.NANOSECONDS.toMillis(sendTimeoutNanos));
            closeLocally(CloseCodes.POLICY_VIOLATION, CloseCodes.SLOW_CONSUMER_REASON, WebSocketTelemetry.SLOW_CONSUMER,
                    SendFailedException.Reason.TIMEOUT, true);
            return;
        }
        if (now - nextPing >= 0) {
            try {
                remote.sendPing(PING.duplicate());
            } catch (IOException | RuntimeException e) {
                log.debug("ping failed", e);
            }
            nextPing = now + pingNanos;
        }
        long wake = Math.min(nextPing - now, idleDeadline - now);
        wake = Math.min(wake, writing ? sendDeadline - now : sendTimeoutNanos);
        schedule(wake);
    }

    // ---------------------------------------------------------------- helpers

    /** The UTF-8 size of a text without encoding it (queue bounds and byte metrics count wire bytes). */
    static int utf8Length(CharSequence text) {
        int n = text.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 2;
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "JsrWebSocketConnection[" + id + "]";
    }
}
