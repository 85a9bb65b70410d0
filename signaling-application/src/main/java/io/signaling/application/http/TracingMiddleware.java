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
 */
final class TracingMiddleware implements Middleware {

    static final String TRACERESPONSE = "traceresponse";
    private static final String[] PROPAGATION_HEADERS = {"traceparent", "tracestate", "baggage"};

    private final Tracer tracer;
    private final Logger logger;

    TracingMiddleware(Tracer tracer, Logger logger) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    @Override
    public HttpHandler wrap(HttpHandler next) {
        return exchange -> {
            Span span = startSpan(exchange);
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
        };
    }

    private Span startSpan(HttpExchange exchange) {
        try {
            String method = HttpSemantics.method(exchange.method());
            String route = exchange.route();
            boolean matched = route != null && !Routes.NOT_FOUND.equals(route)
                    && !Routes.METHOD_NOT_ALLOWED.equals(route);
            String name = HttpSemantics.OTHER_METHOD.equals(method) ? "HTTP" : method;
            if (matched) {
                name = name + ' ' + route;
            }
            SpanBuilder builder = tracer.spanBuilder(name).kind(SpanKind.SERVER);
            TraceContext parent = tracer.extract(propagationHeaders(exchange));
            if (parent != null && parent.isValid()) {
                builder.parent(parent);
            } else {
                builder.noParent();
            }
            builder.attribute("http.request.method", method);
            if (!method.equals(exchange.method())) {
                builder.attribute("http.request.method_original", exchange.method());
            }
            if (matched) {
                builder.attribute("http.route", route);
            }
            builder.attribute("url.path", exchange.path());
            builder.attribute("url.scheme", exchange.scheme());
            serverAddress(exchange, builder);
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
    private static void serverAddress(HttpExchange exchange, SpanBuilder builder) {
        Optional<String> host = exchange.requestHeader("Host");
        if (host.isPresent() && !host.get().isBlank()) {
            String value = host.get().trim();
            int colon = value.lastIndexOf(':');
            int bracket = value.lastIndexOf(']');
            if (colon > bracket && colon > 0) {
                builder.attribute("server.address", value.substring(0, colon));
                try {
                    builder.attribute("server.port", Integer.parseInt(value.substring(colon + 1)));
                    return;
                } catch (NumberFormatException ignored) {
                    // A malformed port: fall through to the listener's port.
                }
            } else {
                builder.attribute("server.address", value);
            }
        } else {
            InetSocketAddress local = exchange.localAddress();
            if (local != null) {
                builder.attribute("server.address", local.getHostString());
            }
        }
        InetSocketAddress local = exchange.localAddress();
        if (local != null) {
            builder.attribute("server.port", local.getPort());
        }
    }

    private static Map<String, String> propagationHeaders(HttpExchange exchange) {
        Map<String, String> carrier = new HashMap<>(4);
        for (String header : PROPAGATION_HEADERS) {
            exchange.requestHeader(header).ifPresent(value -> carrier.put(header, value));
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
