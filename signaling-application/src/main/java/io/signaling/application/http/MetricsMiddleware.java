package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.http.Routes;
import io.signaling.ports.log.Logger;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times every request into {@value #REQUESTS} with the tags Spring Boot and Quarkus use, so that
 * existing dashboards work: {@code method}, {@code uri}, {@code status}, {@code outcome},
 * {@code exception}; and counts requests in flight in the gauge {@value #ACTIVE}.
 *
 * <p>{@code uri} is the route template, never the raw path. Requests that matched no route are
 * {@value #NOT_FOUND_URI}, redirects {@value #REDIRECTION_URI}, the template {@code /} is
 * {@value #ROOT_URI}, a 405 is {@code METHOD_NOT_ALLOWED}. A route that exists keeps its template
 * even when it answers 404 (a missing room is an answer of the application, not a scan). Past
 * {@code maxUris} distinct templates, new ones are tagged {@value #OTHER_URI} so that cardinality
 * stays bounded even if routes are generated. Unknown methods are tagged {@code _OTHER}.
 *
 * <p>Timers are cached per tag combination (bounded), and each route's chain remembers the timer
 * of its last request, so a steady stream of one route's requests records without a look-up or
 * an allocation.
 */
final class MetricsMiddleware implements Middleware {

    static final String REQUESTS = "http.server.requests";
    static final String ACTIVE = "http.server.active.requests";
    static final String NOT_FOUND_URI = "NOT_FOUND";
    static final String REDIRECTION_URI = "REDIRECTION";
    static final String ROOT_URI = "root";
    static final String OTHER_URI = "OTHER";
    static final String NO_EXCEPTION = "none";

    /** Beyond this many cached timers, look-ups go to the metrics port uncached. */
    private static final int MAX_CACHED_TIMERS = 4096;

    private final Metrics metrics;
    private final Logger logger;
    private final int maxUris;
    private final AtomicLong active = new AtomicLong();
    private final ConcurrentMap<String, Boolean> knownUris = new ConcurrentHashMap<>();
    private final ConcurrentMap<TimerKey, Metrics.Timer> timers = new ConcurrentHashMap<>();

    MetricsMiddleware(Metrics metrics, Logger logger, int maxUris) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.logger = Objects.requireNonNull(logger, "logger");
        if (maxUris < 1) {
            throw new IllegalArgumentException("maxUris must be at least 1: " + maxUris);
        }
        this.maxUris = maxUris;
        metrics.gauge(ACTIVE, "HTTP requests being handled", Tags.empty(), active::get);
    }

    /** Requests in flight through this middleware. */
    long activeRequests() {
        return active.get();
    }

    @Override
    public HttpHandler wrap(HttpHandler next) {
        return new Timed(next);
    }

    /** One route's chain, remembering the timer of its last request: the same tags next time need no key. */
    private final class Timed implements HttpHandler {
        private final HttpHandler next;
        // Racy by design: each value is immutable and a lost update only costs a map look-up.
        private LastTimer last;

        Timed(HttpHandler next) {
            this.next = next;
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            active.incrementAndGet();
            long start = System.nanoTime();
            Throwable failure = null;
            try {
                next.handle(exchange);
            } catch (Exception | Error e) {
                failure = e;
                throw e;
            } finally {
                long elapsed = System.nanoTime() - start;
                active.decrementAndGet();
                record(exchange, failure, elapsed);
            }
        }

        private void record(HttpExchange exchange, Throwable failure, long nanos) {
            try {
                int status = HttpSemantics.statusFor(exchange, failure);
                String exception = failure != null
                        ? HttpSemantics.exceptionName(failure)
                        : exchange.attribute(ExchangeAttributes.EXCEPTION).orElse(NO_EXCEPTION);
                String method = exchange.method();
                String route = exchange.route();
                LastTimer seen = last;
                if (seen != null && seen.status() == status && seen.method().equals(method)
                        && Objects.equals(seen.route(), route) && seen.exception().equals(exception)) {
                    seen.timer().recordNanos(nanos);
                    return;
                }
                Metrics.Timer timer = timer(method, route, status, exception);
                // uri() maps a route the same way every time (a template past the cap stays OTHER).
                last = new LastTimer(method, route, status, exception, timer);
                timer.recordNanos(nanos);
            } catch (RuntimeException e) {
                logger.debug("could not record request metrics", "reason", String.valueOf(e));
            }
        }
    }

    private record LastTimer(String method, String route, int status, String exception, Metrics.Timer timer) {
    }

    private Metrics.Timer timer(String method, String route, int status, String exception) {
        TimerKey key = new TimerKey(HttpSemantics.method(method), uri(route, status), status, exception);
        Metrics.Timer timer = timers.get(key);
        if (timer == null) {
            timer = metrics.timer(REQUESTS, "HTTP server request latency", key.tags());
            if (timers.size() < MAX_CACHED_TIMERS) {
                timers.putIfAbsent(key, timer);
            }
        }
        return timer;
    }

    String uri(String route, int status) {
        if (status >= 300 && status < 400) {
            return REDIRECTION_URI;
        }
        if (route == null || Routes.NOT_FOUND.equals(route)) {
            return NOT_FOUND_URI;
        }
        if (Routes.METHOD_NOT_ALLOWED.equals(route)) {
            return Routes.METHOD_NOT_ALLOWED;
        }
        if ("/".equals(route) || route.isEmpty()) {
            return ROOT_URI;
        }
        if (knownUris.containsKey(route)) {
            return route;
        }
        synchronized (knownUris) {
            if (knownUris.containsKey(route)) {
                return route;
            }
            if (knownUris.size() >= maxUris) {
                return OTHER_URI;
            }
            knownUris.put(route, Boolean.TRUE);
            return route;
        }
    }

    static String outcome(int status) {
        if (status >= 100 && status < 200) {
            return "INFORMATIONAL";
        } else if (status >= 200 && status < 300) {
            return "SUCCESS";
        } else if (status >= 300 && status < 400) {
            return "REDIRECTION";
        } else if (status >= 400 && status < 500) {
            return "CLIENT_ERROR";
        } else if (status >= 500 && status < 600) {
            return "SERVER_ERROR";
        }
        return "UNKNOWN";
    }

    private record TimerKey(String method, String uri, int status, String exception) {
        Tags tags() {
            return Tags.of("method", method, "uri", uri, "status", Integer.toString(status),
                    "outcome", outcome(status), "exception", exception);
        }
    }
}
