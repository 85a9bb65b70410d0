package io.signaling.application.cluster;

import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.NodeInbox;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Inboxes of the nodes of one process. Each inbox is a queue under this object's monitor, read by
 * one daemon thread per open reader; a publish never fails. Envelopes published while no reader
 * is open stay queued until one opens (a later reader of the same node takes them), so nothing is
 * lost while a node re-subscribes.
 */
final class InMemoryNodeInbox implements NodeInbox {

    private final Map<NodeId, ArrayDeque<Envelope>> inboxes = new HashMap<>();

    @Override
    public CompletionStage<Void> publish(NodeId node, Envelope envelope) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(envelope, "envelope");
        synchronized (this) {
            inboxes.computeIfAbsent(node, n -> new ArrayDeque<>()).add(envelope);
            notifyAll();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Reader open(NodeId self, Consumer<Envelope> handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (this) {
            // "From now on", as a store-backed inbox reads from its end when it opens.
            inboxes.put(self, new ArrayDeque<>());
        }
        Object handlerLock = new Object();
        boolean[] closed = new boolean[1];
        Thread thread = new Thread(() -> {
            while (true) {
                Envelope next;
                synchronized (this) {
                    ArrayDeque<Envelope> queue;
                    while (!closed[0] && ((queue = inboxes.get(self)) == null || queue.isEmpty())) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (closed[0]) {
                        return;
                    }
                    next = inboxes.get(self).poll();
                }
                synchronized (handlerLock) {
                    if (closed[0]) {
                        return;
                    }
                    handler.accept(next);
                }
            }
        }, "inbox-" + self);
        thread.setDaemon(true);
        thread.start();
        return () -> {
            synchronized (handlerLock) {
                synchronized (this) {
                    closed[0] = true;
                    notifyAll();
                }
            }
        };
    }

    @Override
    public synchronized void delete(NodeId node) {
        inboxes.remove(node);
    }

    synchronized void wipe() {
        inboxes.values().forEach(ArrayDeque::clear);
    }
}
