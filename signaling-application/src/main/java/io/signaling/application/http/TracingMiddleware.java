package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.http.Routes;
import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One SERVER span per request, following the OpenTelemetry HTTP server semantic conventions.
 *
 * <p>The span is named {@code METHOD route} with the route template, never the raw path (which
 * would make names unbounded); a request that matched no route is named by its method alone, and
 * an unknown method becomes {@code HTTP} with {@code http.request.method=_OTHER}. The parent comes
 * from the incoming {@code traceparent}/{@code tracestate}/{@code baggage}; without one the span
 * starts a new trace rather than adopting whatever context a pooled worker thread carries.
 *
 * <p>The span is current around the downstream call (so logs and child spans carry its ids), is
 * set as {@link ExchangeAttributes#SERVER_SPAN}, and its ids go back to the client in a W3C Trace
 * Context Level 2 {@value #TRACERESPONSE} header ({@code 00-<trace-id>-<span-id>-<flags>}). A 5xx
 * sets status ERROR; a thrown error is recorded here, because the span has ended by the time the
 * recovery middleware outside sees it.
 *
 * <p>Routes in the untraced set (by route template; the health probes by default, see
 * {@link StandardMiddleware.Builder#untracedRoutes}) start no span at all: a probe every few
 * seconds from each balancer and orchestrator would otherwise be most of a quiet node's traces,
 * and the span is most of what the chain costs per request. They get no {@value #TRACERESPONSE}
 * header and no {@link ExchangeAttributes#SERVER_SPAN}; metrics and the access log treat them as
 * before.
 *
 * <p>Per request the work for a known route allocates only what the span needs: the span name
 * ({@code METHOD route}) and the parsed {@code Host} header are remembered per chain (one route's
 * chain sees one route and, but for HEAD, one method), and the propagation carrier is built only
 * when a propagation header came.
 */
final class TracingMiddleware implements Middleware {

    static final String TRACERESPONSE = "traceresponse";
    private static final String[] PROPAGATION_HEADERS = {"traceparent", "tracestate", "baggage"};

    private final Tracer tracer;
    private final Logger logger;
    private final Set<String> untracedRoutes;

    TracingMiddleware(Tracer tracer, Logger logger) {
        this(tracer, logger, Set.of());
    }

    /** @param untracedRoutes route templates that get no span */
    TracingMiddleware(Tracer tracer, Logger logger, Set<String> untracedRoutes) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.untracedRoutes = Set.copyOf(Objects.requireNonNull(untracedRoutes, "untracedRoutes"));
    }

    @Override
    public HttpHandler wrap(HttpHandler next) {
        return new Traced(next);
    }

    /** One route's chain: its own memory of the span name and Host it saw last. */
    private final class Traced implements HttpHandler {
        private final HttpHandler next;
        // Racy by design: each value is immutable and a lost update only costs a recomputation.
        private SpanName lastName;
        private HostParts lastHost;

        Traced(HttpHandler next) {
            this.next = next;
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            if (!untracedRoutes.isEmpty() && untracedRoutes.contains(exchange.route())) {
                next.handle(exchange);
                return;
            }
            Span span = startSpan(exchange, this);
            exchange.attribute(ExchangeAttributes.SERVER_SPAN, span);
            Throwable failure = null;
            try (Scope ignored = span.makeCurrent()) {
                next.handle(exchange);
            } catch (Exception | Error e) {
                failure = e;
                throw e;
            } finally {
                endSpan(exchange, span, failure);
            }
        }

        SpanName spanName(String rawMethod, String route) {
            SpanName last = lastName;
            if (last != null && last.rawMethod().equals(rawMethod) && Objects.equals(last.route(), route)) {
                return last;
            }
            last = SpanName.of(rawMethod, route);
            lastName = last;
            return last;
        }

        HostParts host(String header) {
            HostParts last = lastHost;
            if (last != null && last.header().equals(header)) {
                return last;
            }
            last = HostParts.parse(header);
            lastHost = last;
            return last;
        }
    }

    /** A request's method as the semconv reports it, whether its route matched, and the span name. */
    private record SpanName(String rawMethod, String route, String method, boolean matched, String name) {
        static SpanName of(String rawMethod, String route) {
            String method = HttpSemantics.method(rawMethod);
            boolean matched = route != null && !Routes.NOT_FOUND.equals(route)
                    && !Routes.METHOD_NOT_ALLOWED.equals(route);
            String name = HttpSemantics.OTHER_METHOD.equals(method) ? "HTTP" : method;
            if (matched) {
                name = name + ' ' + route;
            }
            return new SpanName(rawMethod, route, method, matched, name);
        }
    }

    /** A {@code Host} header split into {@code server.address} and {@code server.port} (-1: none given or malformed). */
    private record HostParts(String header, String address, int port) {
        static HostParts parse(String header) {
            String value = header.trim();
            int colon = value.lastIndexOf(':');
            int bracket = value.lastIndexOf(']');
            if (colon > bracket && colon > 0) {
                int port;
                try {
                    port = Integer.parseInt(value.substring(colon + 1));
                } catch (NumberFormatException malformed) {
                    // A malformed port: the listener's port is reported instead.
                    port = -1;
                }
                return new HostParts(header, value.substring(0, colon), port);
            }
            return new HostParts(header, value, -1);
        }
    }

    private Span startSpan(HttpExchange exchange, Traced chain) {
        try {
            String rawMethod = exchange.method();
            String route = exchange.route();
            SpanName spanName = chain.spanName(rawMethod, route);
            String method = spanName.method();
            boolean matched = spanName.matched();
            SpanBuilder builder = tracer.spanBuilder(spanName.name()).kind(SpanKind.SERVER);
            Map<String, String> carrier = propagationHeaders(exchange);
            TraceContext parent = carrier.isEmpty() ? null : tracer.extract(carrier);
            if (parent != null && parent.isValid()) {
                builder.parent(parent);
            } else {
                builder.noParent();
            }
            builder.attribute("http.request.method", method);
            if (!method.equals(rawMethod)) {
                builder.attribute("http.request.method_original", rawMethod);
            }
            if (matched) {
                builder.attribute("http.route", route);
            }
            builder.attribute("url.path", exchange.path());
            builder.attribute("url.scheme", exchange.scheme());
            serverAddress(exchange, builder, chain);
            exchange.requestHeader("User-Agent").ifPresent(ua -> builder.attribute("user_agent.original", ua));
            InetSocketAddress client = exchange.remoteAddress();
            if (client != null && client.getAddress() != null) {
                builder.attribute("client.address", client.getAddress().getHostAddress());
                builder.attribute("client.port", client.getPort());
            }
            exchange.attribute(ExchangeAttributes.REQUEST_ID).ifPresent(id -> builder.attribute("request.id", id));
            Span span = builder.start();
            TraceContext context = span.context();
            if (context != null && context.isValid()) {
                exchange.responseHeader(TRACERESPONSE, "00-" + context.traceId() + '-' + context.spanId()
                        + (context.isSampled() ? "-01" : "-00"));
            }
            return span;
        } catch (RuntimeException e) {
            // Telemetry must never fail a request.
            logger.debug("could not start the server span", "reason", String.valueOf(e));
            return Tracer.noop().spanBuilder("noop").start();
        }
    }

    /** {@code server.address}/{@code server.port} from the Host header, as the semconv prefers. */
    private static void serverAddress(HttpExchange exchange, SpanBuilder builder, Traced chain) {
        Optional<String> host = exchange.requestHeader("Host");
        InetSocketAddress local = exchange.localAddress();
        if (host.isPresent() && !host.get().isBlank()) {
            HostParts parts = chain.host(host.get());
            builder.attribute("server.address", parts.address());
            if (parts.port() >= 0) {
                builder.attribute("server.port", parts.port());
                return;
            }
        } else if (local != null) {
            builder.attribute("server.address", local.getHostString());
        }
        if (local != null) {
            builder.attribute("server.port", local.getPort());
        }
    }

    /** The propagation headers that came; an empty map, allocated once, when none did (most requests). */
    private static Map<String, String> propagationHeaders(HttpExchange exchange) {
        Map<String, String> carrier = Map.of();
        for (String header : PROPAGATION_HEADERS) {
            Optional<String> value = exchange.requestHeader(header);
            if (value.isPresent()) {
                if (carrier.isEmpty()) {
                    carrier = new HashMap<>(4);
                }
                carrier.put(header, value.get());
            }
        }
        return carrier;
    }

    private void endSpan(HttpExchange exchange, Span span, Throwable failure) {
        try {
            int status = HttpSemantics.statusFor(exchange, failure);
            span.attribute("http.response.status_code", status);
            if (failure != null) {
                span.recordError(failure);
                span.attribute("error.type", failure.getClass().getName());
            } else if (status >= 500) {
                span.attribute("error.type", Integer.toString(status));
            }
            if (status >= 500) {
                span.status(SpanStatus.ERROR, failure == null ? "HTTP " + status : HttpSemantics.exceptionName(failure));
            }
        } catch (RuntimeException e) {
            logger.debug("could not finish the server span", "reason", String.valueOf(e));
        } finally {
            span.end();
        }
    }
}
