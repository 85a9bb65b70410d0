package io.signaling.application.signaling;

import io.signaling.ports.websocket.SendFailedException;
import io.signaling.ports.websocket.WebSocketConnection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A connection that records what is sent to it and how it was closed. */
final class FakeConnection implements WebSocketConnection {

    private final String id;
    private final List<String> sent = new ArrayList<>();
    private volatile Object attachment;
    private volatile boolean open = true;
    private volatile int closeCode;
    private volatile String closeReason;
    private volatile String subprotocol = "";
    private volatile Map<String, List<String>> query = Map.of();
    private volatile io.signaling.ports.auth.AccessGrant grant;

    FakeConnection(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        return Map.of();
    }

    @Override
    public CompletionStage<Void> send(String text) {
        synchronized (sent) {
            if (!open) {
                return CompletableFuture.failedFuture(new SendFailedException(SendFailedException.Reason.CLOSED));
            }
            sent.add(text);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close(int code, String reason) {
        synchronized (sent) {
            if (open) {
                open = false;
                closeCode = code;
                closeReason = reason;
            }
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** Negotiated {@code signaling.v1.1}, with these upgrade query parameters (pairs). */
    FakeConnection v11(String... queryPairs) {
        subprotocol = "signaling.v1.1";
        Map<String, List<String>> q = new java.util.HashMap<>();
        for (int i = 0; i < queryPairs.length; i += 2) {
            q.put(queryPairs[i], List.of(queryPairs[i + 1]));
        }
        query = Map.copyOf(q);
        return this;
    }

    private volatile boolean tracesMessages = true;

    /** As a connection whose trace the handshake did not sample: its messages get no span. */
    FakeConnection untraced() {
        tracesMessages = false;
        return this;
    }

    @Override
    public boolean tracesMessages() {
        return tracesMessages;
    }

    FakeConnection granted(io.signaling.ports.auth.AccessGrant grant) {
        this.grant = grant;
        return this;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return query;
    }

    @Override
    public java.util.Optional<io.signaling.ports.auth.AccessGrant> grant() {
        return java.util.Optional.ofNullable(grant);
    }

    List<String> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }
}
