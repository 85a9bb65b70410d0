package io.signaling.adapter.undertow.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A transport that records the frames it is asked to send, in order, and completes each write
 * where its {@code completer} says: inline, on another thread, or when the test decides.
 */
final class FakeTransport implements Transport {

    private final List<String> frames = new ArrayList<>();
    private final Consumer<Runnable> completer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean overlapped;
    private volatile WriteCompletion completion;

    /** @param completer receives each write's completion and runs it when the test wants */
    FakeTransport(Consumer<Runnable> completer) {
        this.completer = completer;
    }

    /** As a {@link Transport.Factory}: binds the queue the completions go to. */
    Transport bind(WriteCompletion completion) {
        this.completion = completion;
        return this;
    }

    @Override
    public void sendText(String text) {
        if (inFlight.incrementAndGet() > 1) {
            overlapped = true;
        }
        record("text:" + text);
        completer.accept(() -> {
            inFlight.decrementAndGet();
            completion.writeCompleted(null);
        });
    }

    @Override
    public void sendClose(int code, String reason) {
        record("close:" + code + ":" + reason);
    }

    @Override
    public void sendPing() {
        record("ping");
    }

    @Override
    public void abort() {
        record("abort");
    }

    private void record(String frame) {
        synchronized (frames) {
            frames.add(frame);
        }
    }

    List<String> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** Whether a write was ever started while another was in flight. */
    boolean overlapped() {
        return overlapped;
    }
}
