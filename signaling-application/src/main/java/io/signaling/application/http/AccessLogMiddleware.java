package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.TraceContext;

import java.util.Objects;
import java.util.Set;

/**
 * Writes one info line per request, message {@value #MESSAGE}, with {@code method}, {@code route},
 * {@code path}, {@code status}, {@code duration_ms}, {@code bytes}, {@code request_id} and
 * {@code trace_id}. Routes in the exclude set (by route template; probes and scrapes by default)
 * are not logged: they would drown the requests that matter.
 */
final class AccessLogMiddleware implements Middleware {

    static final String MESSAGE = "request";

    private final Logger logger;
    private final Set<String> excludedRoutes;

    AccessLogMiddleware(Logger logger, Set<String> excludedRoutes) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.excludedRoutes = Set.copyOf(Objects.requireNonNull(excludedRoutes, "excludedRoutes"));
    }

    @Override
    public HttpHandler wrap(HttpHandler next) {
        return exchange -> {
            if (excludedRoutes.contains(exchange.route()) || !logger.isEnabled(Logger.Level.INFO)) {
                next.handle(exchange);
                return;
            }
            long start = System.nanoTime();
            Throwable failure = null;
            try {
                next.handle(exchange);
            } catch (Exception | Error e) {
                failure = e;
                throw e;
            } finally {
                log(exchange, failure, System.nanoTime() - start);
            }
        };
    }

    private void log(HttpExchange exchange, Throwable failure, long nanos) {
        try {
            String traceId = exchange.attribute(ExchangeAttributes.SERVER_SPAN)
                    .map(Span::context)
                    .filter(TraceContext::isValid)
                    .map(TraceContext::traceId)
                    .orElse(null);
            logger.info(MESSAGE,
                    "method", exchange.method(),
                    "route", exchange.route(),
                    "path", exchange.path(),
                    "status", HttpSemantics.statusFor(exchange, failure),
                    "duration_ms", nanos / 1_000_000.0,
                    "bytes", exchange.responseBytes(),
                    "request_id", exchange.attribute(ExchangeAttributes.REQUEST_ID).orElse(null),
                    "trace_id", traceId);
        } catch (RuntimeException e) {
            // A broken log adapter must not fail a request that has already been answered.
        }
    }
}
