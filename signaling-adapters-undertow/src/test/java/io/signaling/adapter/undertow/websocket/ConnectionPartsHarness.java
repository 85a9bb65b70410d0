package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.WebSocketListener;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A connection's parts wired as {@link ManagedConnection} wires them, over a fake transport and a
 * fake I/O thread: the concurrency rules can be driven from several threads without Undertow.
 */
final class ConnectionPartsHarness implements WebSocketConnection {

    final FakeTransport transport;
    final OutboundQueue outbound;
    final CloseHandshake close;
    final ListenerEvents events;
    final AtomicInteger began = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    volatile Runnable onBegan = () -> { };

    ConnectionPartsHarness(IoThread ioThread, Consumer<Runnable> completer, WebSocketListener listener,
                           long sendTimeoutNanos) {
        this.transport = new FakeTransport(completer);
        Wiring wiring = new Wiring();
        this.outbound = new OutboundQueue(100_000, Long.MAX_VALUE, transport::sendText, wiring, System::nanoTime);
        transport.bind(outbound);
        this.close = new CloseHandshake(outbound, transport, ioThread, () -> true, sendTimeoutNanos,
                sendTimeoutNanos, wiring, Logger.noop());
        this.events = new ListenerEvents(this, listener, Tracer.noop(), TraceContext.invalid(),
                new SerialEvents(ioThread, Logger.noop()), Logger.noop());
    }

    private final class Wiring implements OutboundQueue.Events, CloseHandshake.Outcome {
        @Override
        public void written(int bytes) {
        }

        @Override
        public void writeFailed(Throwable failure) {
            close.abort();
        }

        @Override
        public void flushed() {
            close.flushed();
        }

        @Override
        public void began() {
            began.incrementAndGet();
            onBegan.run();
        }

        @Override
        public void reported(CloseHandshake.Cause cause, Runnable heard) {
            events.closed(cause.code(), cause.reason(), heard);
        }

        @Override
        public void finished() {
            finished.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- WebSocketConnection, for the listener

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        return Map.of();
    }

    @Override
    public CompletionStage<Void> send(String text) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        outbound.offer(text, TextFrame.utf8Length(text), done);
        return done;
    }

    @Override
    public void close(int code, String reason) {
        close.close(code, reason, "normal");
    }

    /** As {@link ManagedConnection#sendLastAndClose}. */
    @Override
    public void sendLastAndClose(TextFrame last, int code, String reason, java.time.Duration flushBudget) {
        outbound.offerFinal(last.text(), last.utf8Bytes());
        close.close(code, reason, "going_away", Math.max(0, flushBudget.toNanos()));
    }

    @Override
    public boolean isOpen() {
        return !close.isClosing();
    }

    @Override
    public Object attachment() {
        return null;
    }

    @Override
    public void attach(Object attachment) {
    }
}
