package io.signaling.adapter.undertow;

import io.signaling.ports.http.Problem;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts in-flight exchanges and, once {@link #shutdown()} is called, answers every new request
 * with a 503 problem and {@code Connection: close}.
 *
 * <p>Like Undertow's {@code GracefulShutdownHandler}, the draining flag and the count share one
 * atomic word, so a request can never slip in between "draining" and "count reached zero". It
 * differs in answering with the problem+json shape and closing the connection, so clients retry
 * elsewhere instead of reusing a connection to a server that is going away. Thread-safe.
 */
final class HttpDrainHandler implements HttpHandler {

    private static final long DRAINING = 1L << 62;

    private final HttpHandler next;
    private final AtomicLong state = new AtomicLong();
    private final Object idle = new Object();
    private final ExchangeCompletionListener onComplete = (exchange, nextListener) -> {
        try {
            finished();
        } finally {
            nextListener.proceed();
        }
    };

    HttpDrainHandler(HttpHandler next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long s = state.incrementAndGet();
        if ((s & DRAINING) != 0) {
            finished();
            refuse(exchange);
            return;
        }
        exchange.addExchangeCompleteListener(onComplete);
        next.handleRequest(exchange);
    }

    private static void refuse(HttpServerExchange exchange) {
        exchange.setStatusCode(503);
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Problem.CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(Problem.of(503, "The server is shutting down; retry on another connection.",
                exchange.getRequestPath(), null).toJson());
    }

    private void finished() {
        if (state.decrementAndGet() == DRAINING) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** From now on, new requests get 503; in-flight ones run on. Idempotent. */
    void shutdown() {
        state.getAndUpdate(s -> s | DRAINING);
    }

    boolean isDraining() {
        return (state.get() & DRAINING) != 0;
    }

    long activeRequests() {
        return state.get() & ~DRAINING;
    }

    /** Waits until no request is in flight or the deadline (a {@link System#nanoTime()}) passes. */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        synchronized (idle) {
            while (activeRequests() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }
}
