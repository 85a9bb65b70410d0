package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.WebSocketListener;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the listener hears of one connection, through its {@link SerialEvents}: {@code onOpen}
 * first, each text (in its own {@code websocket.message} span linked to the connection's open
 * span when the connection's messages are traced; otherwise with no span at all),
 * {@code onError}, and {@code onClose} last and once, after which nothing more is delivered. {@code onClose} always runs as a task of its own on the I/O thread, never on the
 * stack that reported the close: Undertow reports a dropped socket from inside its monitor on the
 * channel, and {@code onClose} takes the application's locks (a room's) that another thread may
 * hold while writing to this channel, which needs that monitor: a lock-order deadlock.
 *
 * <p>Thread-safety: safe from any thread; {@code closeDelivered} is touched by the drainer only.
 */
final class ListenerEvents {

    private final WebSocketConnection connection;
    private final WebSocketListener listener;
    private final Tracer tracer;
    private final TraceContext connectionContext;
    private final SerialEvents serial;
    private final Logger log;
    private final boolean traceMessages;
    private final Consumer<TextFrame> textHandler = this::handleText;
    private boolean closeDelivered;

    /**
     * @param connection        what the listener is told about
     * @param connectionContext the {@code websocket.open} span's context, linked from each message span
     */
    ListenerEvents(WebSocketConnection connection, WebSocketListener listener, Tracer tracer,
                   TraceContext connectionContext, SerialEvents serial, Logger log) {
        this(connection, listener, tracer, connectionContext, serial, log, true);
    }

    /** @param traceMessages whether each text gets a {@code websocket.message} span (decided at the handshake) */
    ListenerEvents(WebSocketConnection connection, WebSocketListener listener, Tracer tracer,
                   TraceContext connectionContext, SerialEvents serial, Logger log, boolean traceMessages) {
        this.traceMessages = traceMessages;
        this.connection = Objects.requireNonNull(connection, "connection");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.connectionContext = Objects.requireNonNull(connectionContext, "connectionContext");
        this.serial = Objects.requireNonNull(serial, "serial");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** {@code onOpen}; when the listener throws, {@code onFailure} runs (it closes the connection). */
    void opened(Runnable onFailure) {
        serial.deliver(() -> {
            try {
                listener.onOpen(connection);
            } catch (RuntimeException e) {
                log.error("listener onOpen failed, closing the connection", e);
                onFailure.run();
            }
        });
    }

    void text(TextFrame frame) {
        serial.deliver(textHandler, frame);
    }

    private void handleText(TextFrame frame) {
        if (closeDelivered) {
            return;
        }
        if (!traceMessages) {
            // Not traced: no span, no scope, no context switch (an unsampled span still costs a start).
            try {
                listener.onText(connection, frame);
            } catch (RuntimeException e) {
                log.error("listener onText failed", e);
            }
            return;
        }
        SpanBuilder builder = tracer.spanBuilder("websocket.message")
                .kind(SpanKind.SERVER)
                .attribute("websocket.connection.id", connection.id());
        if (connectionContext.isValid()) {
            builder.link(connectionContext);
        }
        Span span = builder.start();
        try (Scope ignored = span.makeCurrent()) {
            listener.onText(connection, frame);
        } catch (RuntimeException e) {
            span.recordError(e).status(SpanStatus.ERROR, e.getClass().getSimpleName());
            log.error("listener onText failed", e);
        } finally {
            span.end();
        }
    }

    void error(Throwable error) {
        serial.deliver(() -> {
            if (closeDelivered) {
                return;
            }
            try {
                listener.onError(connection, error);
            } catch (RuntimeException e) {
                log.error("listener onError failed", e);
            }
        });
    }

    /** {@code onClose}, as its own I/O-thread task; {@code heard} runs once it returned (or threw). */
    void closed(int code, String reason, Runnable heard) {
        serial.deliverLater(() -> {
            closeDelivered = true;
            try {
                listener.onClose(connection, code, reason);
            } catch (RuntimeException e) {
                log.error("listener onClose failed", e);
            } finally {
                heard.run();
            }
        });
    }
}
