package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.auth.AccessGrant;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * One WebSocket connection as a {@link WebSocketConnection}, whatever Undertow API carries its
 * frames: SPI support for the WebSocket adapter modules, not an API for applications. A flavour
 * subclasses it and implements the four transport hooks ({@link #transportSend},
 * {@link #transportClose}, {@link #transportPing}, {@link #transportAbort}); it feeds inbound
 * events to the {@code on...} methods from its I/O thread.
 *
 * <p>Outbound: a bounded FIFO (messages and bytes) with exactly one asynchronous write in flight,
 * because neither Undertow API allows overlapping async sends; the next message is written from
 * the previous one's completion ({@link #writeCompleted}). Inbound: listener events go through a
 * per-connection serial queue drained on the connection's I/O thread, so they never overlap and
 * {@code onClose} comes last, once. Timers (ping, idle, send timeout) are one self-rescheduling
 * task on that I/O thread.
 *
 * <p>Thread-safety: the {@link WebSocketConnection} methods are safe from any thread; the
 * {@code on...} event methods are called by the transport on the channel's I/O thread.
 */
public abstract class ManagedConnection implements WebSocketConnection {
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int MAX_REASON_BYTES = 123;

    /** The first close cause wins: who closed, with what code, counted under which reason. */
    private record Closing(int code, String reason, String metricReason) {
    }

    private record Outbound(String text, int bytes, CompletableFuture<Void> done) {
    }

    private final String id;
    private final EndpointSupport endpoint;
    private final WebSocketChannel channel;
    private final XnioIoThread ioThread;
    private final InetSocketAddress remoteAddress;
    private final Map<String, List<String>> requestHeaders;
    private final TraceContext connectionContext;
    private final Logger log;
    private final long idleNanos;
    private final long pingNanos;
    private final long sendTimeoutNanos;
    private final int maxQueueMessages;
    private final int maxMessageBytes;
    private final long maxQueueBytes;

    // Outbound state, guarded by `queue`.
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private Outbound inFlight;
    private long inFlightSince;
    private int queuedMessages;
    private long queuedBytes;
    private boolean completedInline;
    // An orderly close waiting for the queued messages to be written first (guarded by queue).
    private boolean flushing;
    private Outbound nextInline;
    private volatile Thread writer;

    private final AtomicReference<Closing> closing = new AtomicReference<>();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final AtomicBoolean binaryRejected = new AtomicBoolean();
    private volatile boolean errorSeen;
    private volatile long lastReceived;
    private volatile Object attachment;
    private volatile AccessGrant grant;

    // Text assembled from parts, touched on the I/O thread only.
    private StringBuilder partialText;
    private long partialBytes;
    private boolean partialDiscarded;

    // Timer state, touched on the I/O thread only.
    private long nextPing;
    private final Runnable tick = this::tick;

    // Listener events: one drainer at a time; `closeDelivered` is read and written by the drainer only.
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private boolean closeDelivered;

    /** Both the socket closing and the listener's onClose returning must happen before the endpoint forgets us. */
    private final AtomicInteger unfinished = new AtomicInteger(2);

    /**
     * @param id                the connection id ({@link EndpointSupport#newConnectionId()})
     * @param endpoint          the endpoint's shared state
     * @param channel           the Undertow channel carrying the frames (its I/O thread runs the events)
     * @param requestHeaders    the upgrade request's headers, names in lower case
     * @param connectionContext the {@code websocket.open} span's context, linked from each message span
     */
    protected ManagedConnection(String id, EndpointSupport endpoint, WebSocketChannel channel,
                                Map<String, List<String>> requestHeaders, TraceContext connectionContext) {
        this.id = Objects.requireNonNull(id, "id");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.ioThread = channel.getIoThread();
        this.remoteAddress = channel.getSourceAddress();
        this.requestHeaders = Objects.requireNonNull(requestHeaders, "requestHeaders");
        this.connectionContext = Objects.requireNonNull(connectionContext, "connectionContext");
        this.log = endpoint.logger().with("connection_id", id);
        var settings = endpoint.settings();
        this.idleNanos = settings.idleTimeout().toNanos();
        this.pingNanos = settings.pingInterval().toNanos();
        this.sendTimeoutNanos = settings.sendTimeout().toNanos();
        this.maxQueueMessages = settings.sendQueueMessages();
        this.maxMessageBytes = settings.maxMessageBytes();
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
    public String subprotocol() {
        String selected = channel.getSubProtocol();
        return selected == null ? "" : selected;
    }

    @Override
    public Optional<AccessGrant> grant() {
        return Optional.ofNullable(grant);
    }

    /** What the upgrade granted; set before the listener hears of the connection. */
    void admitted(AccessGrant grant) {
        this.grant = grant;
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

    /** This connection's logger: every line carries {@code connection_id}. */
    public Logger log() {
        return log;
    }

    /** The Undertow channel under this connection. */
    public WebSocketChannel channel() {
        return channel;
    }

    // ---------------------------------------------------------------- transport hooks

    /**
     * Starts the asynchronous write of one text message; the transport must call
     * {@link #writeCompleted(Throwable)} exactly once when it is written or failed (possibly
     * inline, from within this call). Never called while another write is in flight.
     */
    protected abstract void transportSend(String text);

    /** Sends our close frame; the peer's answer or the grace-period abort ends the socket. */
    protected abstract void transportClose(int code, String reason) throws IOException;

    /** Sends an empty ping frame. */
    protected abstract void transportPing() throws IOException;

    /** Drops the socket at once, without a close handshake. */
    protected abstract void transportAbort();

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
    public boolean offer(String text, int bytes, CompletableFuture<Void> done) {
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
                transportSend(next.text());
            } catch (RuntimeException e) {
                writeCompleted(e);
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

    /** The transport's report that the write in flight is done: {@code failure} is null on success. */
    protected final void writeCompleted(Throwable failure) {
        boolean ok = failure == null;
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
            if (ok && (closing.get() == null || flushing)) {
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
        if (ok) {
            endpoint.telemetry().sent(done.bytes());
            if (done.done() != null) {
                done.done().complete(null);
            }
        } else {
            fail(done.done(), SendFailedException.Reason.IO_ERROR);
            errorSeen = true;
            if (log.isDebugEnabled()) {
                log.debug("websocket write failed", failure);
            }
            abort();
            return;
        }
        if (next != null) {
            write(next);
        } else {
            finishFlushIfDrained();
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
            flushing = false;
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
        Closing cause = new Closing(code, truncateReason(reason == null ? "" : reason), metricReason);
        // An orderly close delivers what was sent before it, as TCP would: a drain queues goaway and
        // then closes, and the goaway must not be lost. New sends are refused from here on; the
        // close frame follows the last queued message, bounded by the send timeout. The cause and
        // the flushing flag are set together under the queue's lock: a write completing on the
        // I/O thread in between would see "closing, not flushing", stop writing, and the close
        // frame would overtake what was still queued (seen in the contract test: 194 of 400).
        boolean flushFirst;
        synchronized (queue) {
            if (!closing.compareAndSet(null, cause)) {
                return;
            }
            flushFirst = inFlight != null;
            flushing = flushFirst;
        }
        endpoint.hub().remove(this);
        if (flushFirst) {
            scheduleFlushDeadline();
        } else {
            finishClose(cause, SendFailedException.Reason.CLOSED, false);
        }
    }

    private void finishFlushIfDrained() {
        synchronized (queue) {
            if (!flushing || inFlight != null) {
                return;
            }
            flushing = false;
        }
        finishClose(closing.get(), SendFailedException.Reason.CLOSED, false);
    }

    private void scheduleFlushDeadline() {
        try {
            ioThread.executeAfter(() -> {
                boolean stuck;
                synchronized (queue) {
                    stuck = flushing;
                }
                if (stuck) {
                    log.warn("queued messages not written before close within the send timeout, aborting",
                            "send_timeout_ms", TimeUnit.NANOSECONDS.toMillis(sendTimeoutNanos));
                    abort();
                }
            }, sendTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            abort();
        }
    }

    /** Whether a close frame may carry {@code code} (RFC 6455 7.4). */
    public static boolean isSendableCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * Starts our side of the close: the first caller sets the cause; pending sends fail; the
     * close frame goes out; the socket is aborted at once ({@code abortNow}, for peers that do
     * not read) or after a grace period if the peer does not answer the close frame.
     */
    public void closeLocally(int code, String reason, String metricReason, SendFailedException.Reason pendingFailure,
                      boolean abortNow) {
        String safeReason = truncateReason(reason);
        if (!closing.compareAndSet(null, new Closing(code, safeReason, metricReason))) {
            if (abortNow) {
                abort();
            }
            return;
        }
        endpoint.hub().remove(this);
        finishClose(closing.get(), pendingFailure, abortNow);
    }

    private void finishClose(Closing cause, SendFailedException.Reason pendingFailure, boolean abortNow) {
        failPending(pendingFailure);
        try {
            // A transport may report onClose synchronously (see onTransportClosed) with our code.
            transportClose(cause.code(), cause.reason());
        } catch (IOException | RuntimeException e) {
            log.debug("close frame could not be sent", e);
            abort();
        }
        if (abortNow) {
            abort();
        } else {
            scheduleAbort();
        }
        // A close the transport did not report still has to be reported.
        onTransportClosed(cause.code(), cause.reason());
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

    /** Drops the socket without a close handshake (a peer that does not read, a drain past its deadline). */
    public void abort() {
        try {
            transportAbort();
        } catch (RuntimeException e) {
            log.debug("abort failed", e);
        }
    }

    /**
     * The transport saw the connection close (the peer's close frame, a drop, or our own close):
     * the first report sets the cause unless we closed first; the listener hears it once.
     */
    public void onTransportClosed(int code, String reason) {
        String metricReason = WebSocketTelemetry.reasonOf(code, errorSeen);
        if (closing.compareAndSet(null, new Closing(code, reason == null ? "" : reason, metricReason))) {
            endpoint.hub().remove(this);
        }
        // Also when an orderly close was still flushing: nothing more will be written.
        failPending(SendFailedException.Reason.CLOSED);
        if (!closeReported.compareAndSet(false, true)) {
            return;
        }
        Closing cause = closing.get();
        endpoint.telemetry().closed(cause.metricReason());
        if (log.isDebugEnabled()) {
            log.debug("websocket closed", "code", cause.code(), "reason", cause.reason());
        }
        // Never inline: Undertow runs close tasks (a dropped socket) inside its monitor on the
        // channel, and onClose takes the application's locks (a room's) that another thread may
        // hold while writing to this channel, which needs that monitor: a lock-order deadlock.
        // As a task of its own on the I/O thread, onClose runs with no Undertow lock held.
        deliverLater(() -> {
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

    /** The socket is gone (Undertow close task, added by {@link EndpointSupport#register}). */
    protected void onChannelClosed() {
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

    // ---------------------------------------------------------------- inbound (transport callbacks, I/O thread)

    /** The connection is registered: tells the listener and starts the timers. */
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

    /** A complete text message arrived. */
    public void onText(String text) {
        onText(text, utf8Length(text));
    }

    /** A complete text message of {@code utf8Bytes} bytes arrived. */
    public void onText(String text, int utf8Bytes) {
        lastReceived = System.nanoTime();
        if (closing.get() != null) {
            return;
        }
        endpoint.telemetry().received(utf8Bytes);
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

    /**
     * A piece of a text message (a fragment, or what one read decoded), for transports that deliver
     * text in parts: pieces are counted as they come, and the message closes with 1009 as soon as
     * its total passes {@code maxMessageBytes}, so an oversized message is never buffered whole,
     * however it is fragmented or split across reads.
     */
    public void onTextPart(String part, boolean last) {
        lastReceived = System.nanoTime();
        if (!partialDiscarded) {
            int bytes = utf8Length(part);
            long total = partialBytes + bytes;
            if (total > maxMessageBytes) {
                partialDiscarded = true;
                partialText = null;
                messageTooBig();
            } else if (last && partialText == null) {
                onText(part, bytes); // the whole message in one piece: no copy
            } else {
                if (partialText == null) {
                    partialText = new StringBuilder(Math.min(maxMessageBytes, Math.max(64, 2 * part.length())));
                }
                partialText.append(part);
                partialBytes = total;
                if (last) {
                    String text = partialText.toString();
                    partialText = null;
                    onText(text, (int) total);
                }
            }
        }
        if (last) {
            partialText = null;
            partialBytes = 0;
            partialDiscarded = false;
        }
    }

    /** The message being received passed {@code maxMessageBytes}: close with 1009. */
    public void messageTooBig() {
        closeLocally(CloseCodes.MESSAGE_TOO_BIG, "message exceeds " + maxMessageBytes + " bytes",
                WebSocketTelemetry.TOO_BIG, SendFailedException.Reason.CLOSED, false);
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

    /** A pong (or any other sign of life that is not a message) arrived. */
    public void onPong() {
        lastReceived = System.nanoTime();
    }

    /** A binary frame arrived: the protocol is text-only, so the connection closes with 1003. */
    public void onBinary() {
        lastReceived = System.nanoTime();
        if (binaryRejected.compareAndSet(false, true)) {
            closeLocally(CloseCodes.UNSUPPORTED_DATA, "binary messages are not supported",
                    WebSocketTelemetry.UNSUPPORTED, SendFailedException.Reason.CLOSED, false);
        }
    }

    /** The transport failed; reported to the listener unless the connection is already closing. */
    public void onError(Throwable error) {
        if (closing.get() != null || channel.isCloseFrameSent()) {
            // Undertow reports the cause of a close it already started (1009, 1002) as an error too.
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

    /** Like {@link #deliver}, but never runs the event on the caller's stack. */
    private void deliverLater(Runnable event) {
        events.add(event);
        if (delivering.compareAndSet(false, true)) {
            runOnIoThread(this::drainEvents);
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
                transportPing();
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
    public static int utf8Length(CharSequence text) {
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

    /** Whether our close frame has been sent or the close has begun on our side. */
    public boolean isClosing() {
        return closing.get() != null;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + "]";
    }
}
