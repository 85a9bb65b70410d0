package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.http.Problem;
import io.signaling.ports.log.Logger;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanStatus;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns anything a handler throws into an RFC 9457 problem, so that one bad request never takes
 * the server down nor leaks internals: a 500 (a 413 for {@code PayloadTooLargeException}) with a
 * detail that names no class, the path as {@code instance} and the request id users can quote.
 *
 * <p>The stack goes to the log at error with the request id, the server span records the error,
 * the counter {@value #ERRORS} (tag {@code exception}) counts it and
 * {@link ExchangeAttributes#EXCEPTION} carries the class name for the metrics tag. When the
 * response had already started nothing can be sent: the error is logged and counted, and the
 * router adapter ends the exchange.
 */
final class RecoveryMiddleware implements Middleware {

    static final String ERRORS = "http.server.errors";
    static final String DETAIL_500 = "The server could not complete the request. Quote the request id when reporting this.";

    private static final int MAX_CACHED_COUNTERS = 256;

    private final Logger logger;
    private final Metrics metrics;
    private final ConcurrentMap<String, Metrics.Counter> counters = new ConcurrentHashMap<>();

    RecoveryMiddleware(Logger logger, Metrics metrics) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public HttpHandler wrap(HttpHandler next) {
        return exchange -> {
            try {
                next.handle(exchange);
            } catch (Throwable error) {
                recover(exchange, error);
            }
        };
    }

    private void recover(HttpExchange exchange, Throwable error) {
        if (error instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String requestId = exchange.attribute(ExchangeAttributes.REQUEST_ID).orElse(null);
        String exception = HttpSemantics.exceptionName(error);
        exchange.attribute(ExchangeAttributes.EXCEPTION, exception);
        boolean tooLarge = HttpSemantics.isPayloadTooLarge(error);
        Logger log = requestId == null ? logger : logger.with("request_id", requestId);
        if (tooLarge) {
            log.info("request body too large", "method", exchange.method(), "path", exchange.path(),
                    "detail", error.getMessage());
        } else {
            log.error("unhandled exception", error, "method", exchange.method(), "route", exchange.route(),
                    "path", exchange.path(), "response_started", exchange.isResponseStarted());
            count(exception);
            exchange.attribute(ExchangeAttributes.SERVER_SPAN).ifPresent(span -> markError(span, error));
        }
        if (exchange.isResponseStarted()) {
            return;
        }
        Problem problem = tooLarge
                ? Problem.of(413, tooLargeDetail(error), exchange.path(), requestId)
                : Problem.of(500, DETAIL_500, exchange.path(), requestId);
        try {
            problem.sendTo(exchange);
        } catch (Exception sendFailure) {
            // The client has most likely gone; the original error is logged already.
            log.debug("could not send the error response", "reason", String.valueOf(sendFailure));
        }
    }

    private static String tooLargeDetail(Throwable error) {
        Throwable e = error instanceof io.signaling.ports.http.PayloadTooLargeException ? error : error.getCause();
        return e instanceof io.signaling.ports.http.PayloadTooLargeException p
                ? "The request body exceeds the limit of " + p.limit() + " bytes."
                : "The request body is too large.";
    }

    private static void markError(Span span, Throwable error) {
        span.recordError(error);
        span.status(SpanStatus.ERROR, HttpSemantics.exceptionName(error));
    }

    private void count(String exception) {
        try {
            Metrics.Counter counter = counters.get(exception);
            if (counter == null) {
                counter = metrics.counter(ERRORS, "Requests that ended in an unhandled exception",
                        Tags.of("exception", exception));
                // Class names are bounded by the code base; the cap guards against generated classes.
                if (counters.size() < MAX_CACHED_COUNTERS) {
                    counters.putIfAbsent(exception, counter);
                }
            }
            counter.increment();
        } catch (RuntimeException e) {
            logger.debug("could not count an error", "reason", String.valueOf(e));
        }
    }
}
