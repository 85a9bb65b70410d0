package io.signaling.ports.testing;

import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.http.Problem;
import io.signaling.ports.http.Router;
import io.signaling.ports.http.Routes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory {@link Router} that records routes and middleware and dispatches
 * {@link FakeHttpExchange}s through them, with literal and {@code {name}} segments, 404 and 405
 * fallbacks, and middleware applied first-added outermost. Enough to test route registration
 * and middleware ordering without a server; not a router adapter (no HEAD, no decoding).
 */
public final class RecordingRouter implements Router {

    private final Map<String, Map<String, HttpHandler>> routes = new LinkedHashMap<>();
    private final List<Middleware> middleware = new ArrayList<>();

    @Override
    public Router route(String method, String pathTemplate, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        HttpHandler previous = routes.computeIfAbsent(pathTemplate, t -> new LinkedHashMap<>()).put(method, handler);
        if (previous != null) {
            throw new IllegalStateException("duplicate route " + method + " " + pathTemplate);
        }
        return this;
    }

    @Override
    public Router use(Middleware middleware) {
        this.middleware.add(Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /** The middleware added, in order. */
    public List<Middleware> middleware() {
        return List.copyOf(middleware);
    }

    /** The templates registered, each with its methods. */
    public Map<String, List<String>> routes() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        routes.forEach((t, m) -> result.put(t, List.copyOf(m.keySet())));
        return result;
    }

    /** Dispatches the exchange: sets its route and path parameters, then runs the chain. */
    public FakeHttpExchange dispatch(FakeHttpExchange exchange) throws Exception {
        HttpHandler handler = null;
        for (Map.Entry<String, Map<String, HttpHandler>> e : routes.entrySet()) {
            Map<String, String> params = match(e.getKey(), exchange.path());
            if (params == null) {
                continue;
            }
            params.forEach(exchange::pathParameter);
            HttpHandler h = e.getValue().get(exchange.method());
            if (h != null) {
                exchange.route(e.getKey());
                handler = h;
            } else {
                exchange.route(Routes.METHOD_NOT_ALLOWED);
                String allow = String.join(", ", e.getValue().keySet());
                handler = x -> {
                    x.responseHeader("Allow", allow);
                    Problem.of(405, null, x.path(), null).sendTo(x);
                };
            }
            break;
        }
        if (handler == null) {
            exchange.route(Routes.NOT_FOUND);
            handler = x -> Problem.of(404, null, x.path(), null).sendTo(x);
        }
        for (int i = middleware.size() - 1; i >= 0; i--) {
            handler = middleware.get(i).wrap(handler);
        }
        handler.handle(exchange);
        return exchange;
    }

    private static Map<String, String> match(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}") && !p[i].isEmpty()) {
                params.put(t[i].substring(1, t[i].length() - 1), p[i]);
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return params;
    }
}
