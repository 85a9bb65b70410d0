package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.SendFailedException;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One WebSocket connection as a {@link WebSocketConnection}, whatever Undertow API carries its
 * frames: SPI support for the WebSocket adapter modules, not an API for applications. Built by
 * {@link EndpointSupport#connect} around a flavour's {@link Transport}; the flavour feeds inbound
 * events to the {@code on...} methods from its I/O thread.
 *
 * <p>It only wires its parts, each of which owns one rule: {@link OutboundQueue} (bounded, one
 * write in flight, flush before close), {@link CloseHandshake} (first cause wins, reported once,
 * finished when both the socket and the report are done), {@link TextAssembler} (parts made whole,
 * size limit), {@link ListenerEvents} over {@link SerialEvents} (the listener's events one at a
 * time, {@code onClose} last and as its own task) and {@link ConnectionTimers} (ping, idle, send
 * timeout).
 *
 * <p>Thread-safety: the {@link WebSocketConnection} methods are safe from any thread; the
 * {@code on...} event methods are called by the transport on the channel's I/O thread.
 */
public final class ManagedConnection implements WebSocketConnection {

    private final String id;
    private final WebSocketChannel channel;
    private final InetSocketAddress remoteAddress;
    private final Map<String, List<String>> requestHeaders;
    private final Logger log;
    private final WebSocketTelemetry telemetry;
    private final WebSocketSettings settings;
    private final Consumer<ManagedConnection> leftHub;
    private final Consumer<ManagedConnection> finished;

    private final Transport transport;
    private final OutboundQueue outbound;
    private final CloseHandshake close;
    private final ListenerEvents events;
    private final ConnectionTimers timers;
    private final TextAssembler assembler;
    private final boolean traceMessages;

    private final AtomicBoolean binaryRejected = new AtomicBoolean();
    private volatile Object attachment;
    private volatile AccessGrant grant;
    private volatile Map<String, List<String>> query = Map.of();

    /**
     * @param requestHeaders    the upgrade request's headers, names in lower case
     * @param connectionContext the {@code websocket.open} span's context, linked from each message span
     * @param traceMessages     whether this connection's messages get spans (decided at the handshake)
     * @param leftHub           takes the connection out of the hub when its close begins
     * @param finished          called once both the socket and the listener's onClose are done
     */
    ManagedConnection(String id, WebSocketChannel channel, Map<String, List<String>> requestHeaders,
                      TraceContext connectionContext, boolean traceMessages, Transport.Factory transports,
                      WebSocketSettings settings,
                      WebSocketListener listener, Tracer tracer, WebSocketTelemetry telemetry, Logger endpointLog,
                      Consumer<ManagedConnection> leftHub, Consumer<ManagedConnection> finished) {
        this.id = Objects.requireNonNull(id, "id");
        this.traceMessages = traceMessages;
        this.channel = Objects.requireNonNull(channel, "channel");
        this.remoteAddress = channel.getSourceAddress();
        this.requestHeaders = Objects.requireNonNull(requestHeaders, "requestHeaders");
        this.log = endpointLog.with("connection_id", id);
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.leftHub = Objects.requireNonNull(leftHub, "leftHub");
        this.finished = Objects.requireNonNull(finished, "finished");
        IoThread ioThread = IoThread.of(channel.getIoThread());
        long sendTimeoutNanos = settings.sendTimeout().toNanos();
        long idleNanos = settings.idleTimeout().toNanos();
        Wiring wiring = new Wiring();

        this.outbound = new OutboundQueue(settings.sendQueueMessages(), settings.sendQueueBytes(), this::write,
                wiring, System::nanoTime);
        this.transport = Objects.requireNonNull(transports.create(outbound), "transport");
        this.close = new CloseHandshake(outbound, transport, ioThread, channel::isOpen, sendTimeoutNanos,
                Math.min(sendTimeoutNanos, idleNanos), wiring, log);
        this.events = new ListenerEvents(this, listener, tracer, connectionContext, new SerialEvents(ioThread, log), log,
                traceMessages);
        this.timers = new ConnectionTimers(ioThread, System::nanoTime, settings.pingInterval().toNanos(), idleNanos,
                sendTimeoutNanos, outbound::inFlight, close::isClosing, wiring);
        this.assembler = new TextAssembler(settings.maxMessageBytes(), wiring);
    }

    private void write(String text) {
        transport.sendText(text);
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
    public boolean tracesMessages() {
        return traceMessages;
    }

    @Override
    public Optional<AccessGrant> grant() {
        return Optional.ofNullable(grant);
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return query;
    }

    /** What the upgrade granted and asked; set before the listener hears of the connection. */
    void admitted(AccessGrant grant, Map<String, List<String>> query) {
        this.grant = grant;
        this.query = query;
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
        return !close.isClosing() && channel.isOpen();
    }

    /** Whether our close frame has been sent or the close has begun on either side. */
    public boolean isClosing() {
        return close.isClosing();
    }

    /** UTF-8 bytes queued for this connection and not written yet, the write in flight included. */
    long pendingBytes() {
        return outbound.pendingBytes();
    }

    /** This connection's logger: every line carries {@code connection_id}. */
    public Logger log() {
        return log;
    }

    /** The Undertow channel under this connection. */
    public WebSocketChannel channel() {
        return channel;
    }

    // ---------------------------------------------------------------- outbound

    @Override
    public CompletionStage<Void> send(String text) {
        if (text == null) {
            return CompletableFuture.failedFuture(new NullPointerException("text"));
        }
        return send(TextFrame.of(text));
    }

    @Override
    public CompletionStage<Void> send(TextFrame frame) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        offer(frame.text(), frame.utf8Bytes(), done);
        return done;
    }

    /**
     * Queues a message; {@code done} may be null (hub sends that nobody awaits). Returns whether it
     * was queued; when not, {@code done} has been failed already, and an overflow closes the
     * connection as a slow consumer.
     */
    boolean offer(String text, int bytes, CompletableFuture<Void> done) {
        OutboundQueue.Offer outcome = outbound.offer(text, bytes, done);
        if (outcome == OutboundQueue.Offer.FULL) {
            telemetry.overflow();
            log.warn("outbound queue full, closing slow consumer", "queued_messages", settings.sendQueueMessages());
            closeLocally(CloseCodes.POLICY_VIOLATION, CloseCodes.SLOW_CONSUMER_REASON, WebSocketTelemetry.SLOW_CONSUMER,
                    SendFailedException.Reason.QUEUE_FULL, true);
        }
        return outcome == OutboundQueue.Offer.QUEUED;
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
        close.close(code, reason, metricReason);
    }

    @Override
    public void sendLastAndClose(TextFrame last, int code, String reason, java.time.Duration flushBudget) {
        if (!isSendableCloseCode(code)) {
            throw new IllegalArgumentException("close code " + code
                    + " cannot be sent in a close frame (use 1000-1003, 1007-1014 or 3000-4999)");
        }
        outbound.offerFinal(last.text(), last.utf8Bytes());
        String metricReason = code == CloseCodes.GOING_AWAY ? WebSocketTelemetry.GOING_AWAY
                : WebSocketTelemetry.reasonOf(code, false);
        close.close(code, reason, metricReason, Math.max(0, flushBudget.toNanos()));
    }

    /** Whether a close frame may carry {@code code} (RFC 6455 7.4). */
    public static boolean isSendableCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** Closes at once, without flushing: see {@link CloseHandshake#closeNow}. */
    void closeLocally(int code, String reason, String metricReason, SendFailedException.Reason pendingFailure,
                      boolean abortNow) {
        close.closeNow(code, reason, metricReason, pendingFailure, abortNow);
    }

    /** Drops the socket without a close handshake. */
    void abort() {
        close.abort();
    }

    /**
     * The transport saw the connection close (the peer's close frame, a drop, or our own close):
     * the first report sets the cause unless we closed first; the listener hears it once.
     */
    public void onTransportClosed(int code, String reason) {
        close.transportClosed(code, reason);
    }

    /** The socket is gone (Undertow close task, added by {@link EndpointSupport#register}). */
    void onChannelClosed() {
        if (transport.channelCloseReportsDrop()) {
            // After a close frame the cause is set already and this changes nothing.
            close.transportClosed(CloseCodes.ABNORMAL, "");
        }
        close.channelClosed();
    }

    // ---------------------------------------------------------------- inbound (transport callbacks, I/O thread)

    /** The connection is registered: tells the listener and starts the timers. */
    void opened() {
        timers.received();
        events.opened(() -> closeLocally(CloseCodes.INTERNAL_ERROR, "internal error", WebSocketTelemetry.ERROR,
                SendFailedException.Reason.CLOSED, false));
        timers.start();
    }

    /** A piece of a text message (a fragment, or what one read decoded): see {@link TextAssembler}. */
    public void onTextPart(String part, boolean last) {
        timers.received();
        assembler.part(part, last);
    }

    /** A complete text message arrived, its UTF-8 size measured by the transport. */
    public void onText(TextFrame frame) {
        timers.received();
        if (close.isClosing()) {
            return;
        }
        telemetry.received(frame.utf8Bytes());
        events.text(frame);
    }

    /** The message being received passed {@code maxMessageBytes}: close with 1009. */
    public void messageTooBig() {
        closeLocally(CloseCodes.MESSAGE_TOO_BIG, "message exceeds " + settings.maxMessageBytes() + " bytes",
                WebSocketTelemetry.TOO_BIG, SendFailedException.Reason.CLOSED, false);
    }

    /** A pong (or any other sign of life that is not a message) arrived. */
    public void onPong() {
        timers.received();
    }

    /** A binary frame arrived: the protocol is text-only, so the connection closes with 1003. */
    public void onBinary() {
        timers.received();
        if (binaryRejected.compareAndSet(false, true)) {
            closeLocally(CloseCodes.UNSUPPORTED_DATA, "binary messages are not supported",
                    WebSocketTelemetry.UNSUPPORTED, SendFailedException.Reason.CLOSED, false);
        }
    }

    /** The transport failed; reported to the listener unless the connection is already closing. */
    public void onError(Throwable error) {
        if (close.isClosing() || channel.isCloseFrameSent()) {
            // Undertow reports the cause of a close it already started (1009, 1002) as an error too.
            if (log.isDebugEnabled()) {
                log.debug("websocket error while closing", error);
            }
            return;
        }
        close.errorSeen();
        log.debug("websocket transport error", error);
        events.error(error);
    }

    @Override
    public String toString() {
        return "ManagedConnection[" + id + "]";
    }

    /** The parts' reports, turned into telemetry, logs, the hub's and the endpoint's bookkeeping. */
    private final class Wiring implements OutboundQueue.Events, CloseHandshake.Outcome, ConnectionTimers.Actions,
            TextAssembler.Sink {

        @Override
        public void written(int bytes) {
            telemetry.sent(bytes);
        }

        @Override
        public void writeFailed(Throwable failure) {
            close.errorSeen();
            if (log.isDebugEnabled()) {
                log.debug("websocket write failed", failure);
            }
            close.abort();
        }

        @Override
        public void flushed() {
            close.flushed();
        }

        @Override
        public void began() {
            leftHub.accept(ManagedConnection.this);
        }

        @Override
        public void reported(CloseHandshake.Cause cause, Runnable heard) {
            telemetry.closed(cause.metricReason());
            if (log.isDebugEnabled()) {
                log.debug("websocket closed", "code", cause.code(), "reason", cause.reason());
            }
            events.closed(cause.code(), cause.reason(), heard);
        }

        @Override
        public void finished() {
            finished.accept(ManagedConnection.this);
        }

        @Override
        public void ping() {
            try {
                transport.sendPing();
            } catch (IOException | RuntimeException e) {
                log.debug("ping failed", e);
            }
        }

        @Override
        public void idle() {
            log.info("closing idle websocket", "idle_timeout_ms", settings.idleTimeout().toMillis());
            closeLocally(CloseCodes.GOING_AWAY, CloseCodes.IDLE_TIMEOUT_REASON, WebSocketTelemetry.IDLE_TIMEOUT,
                    SendFailedException.Reason.CLOSED, false);
        }

        @Override
        public void sendTimedOut() {
            log.warn("send timed out, closing slow consumer", "send_timeout_ms", settings.sendTimeout().toMillis());
            closeLocally(CloseCodes.POLICY_VIOLATION, CloseCodes.SLOW_CONSUMER_REASON, WebSocketTelemetry.SLOW_CONSUMER,
                    SendFailedException.Reason.TIMEOUT, true);
        }

        @Override
        public void text(TextFrame frame) {
            onText(frame);
        }

        @Override
        public void tooBig() {
            messageTooBig();
        }
    }
}
