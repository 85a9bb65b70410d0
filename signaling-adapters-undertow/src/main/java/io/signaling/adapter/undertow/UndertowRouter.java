package io.signaling.adapter.undertow;

import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.http.Router;
import io.undertow.util.PathTemplateMatcher;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link Router} port on Undertow's {@link PathTemplateMatcher}.
 *
 * <p>Registration is synchronized and happens before serving; {@link #freeze()} turns the routes
 * and middleware into an immutable {@link HttpRouteTable} once, after which the router rejects
 * changes, so a route added "too late" fails loudly instead of silently never matching.
 */
final class UndertowRouter implements Router {

    private final Map<String, Map<String, HttpHandler>> routes = new LinkedHashMap<>();
    // Fed as routes arrive so that templates Undertow cannot tell apart fail at registration.
    private final PathTemplateMatcher<String> templates = new PathTemplateMatcher<>();
    private final List<Middleware> middleware = new ArrayList<>();
    private HttpRouteTable frozen;

    @Override
    public synchronized Router route(String method, String pathTemplate, HttpHandler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathTemplate, "pathTemplate");
        Objects.requireNonNull(handler, "handler");
        requireOpen("route " + method + " " + pathTemplate);
        String m = normalizeMethod(method);
        validateTemplate(pathTemplate);
        Map<String, HttpHandler> byMethod = routes.get(pathTemplate);
        if (byMethod == null) {
            try {
                templates.add(pathTemplate, pathTemplate);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("path template '" + pathTemplate
                        + "' clashes with a template already registered: " + e.getMessage(), e);
            }
            byMethod = new LinkedHashMap<>();
            routes.put(pathTemplate, byMethod);
        }
        if (byMethod.putIfAbsent(m, handler) != null) {
            throw new IllegalArgumentException("a handler for " + m + " " + pathTemplate + " is already registered");
        }
        return this;
    }

    @Override
    public synchronized Router use(Middleware middleware) {
        Objects.requireNonNull(middleware, "middleware");
        requireOpen("middleware " + middleware);
        this.middleware.add(middleware);
        return this;
    }

    /** Freezes the router (first call) and returns its immutable dispatch table. */
    synchronized HttpRouteTable freeze() {
        if (frozen == null) {
            frozen = HttpRouteTable.build(routes, middleware);
        }
        return frozen;
    }

    private void requireOpen(String what) {
        if (frozen != null) {
            throw new IllegalStateException("cannot add " + what + ": the router is already serving requests;"
                    + " register every route and middleware before starting the server");
        }
    }

    private static String normalizeMethod(String method) {
        if (method.isEmpty() || !HeaderNames.isToken(method)) {
            throw new IllegalArgumentException("invalid HTTP method: '" + method + "'");
        }
        return method.toUpperCase(Locale.ROOT);
    }

    static void validateTemplate(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': '" + template + "'");
        }
        Set<String> names = new HashSet<>();
        int open = -1;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '?' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("path template must not contain '" + c + "' (at index " + i
                        + "): '" + template + "'");
            }
            if (c == '{') {
                if (open >= 0) {
                    throw new IllegalArgumentException("nested '{' at index " + i + " in path template '" + template + "'");
                }
                open = i;
            } else if (c == '}') {
                if (open < 0) {
                    throw new IllegalArgumentException("unmatched '}' at index " + i + " in path template '" + template + "'");
                }
                String name = template.substring(open + 1, i);
                if (name.isEmpty() || name.indexOf('/') >= 0) {
                    throw new IllegalArgumentException("empty or invalid parameter name at index " + open
                            + " in path template '" + template + "'");
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("parameter '" + name + "' appears twice in path template '"
                            + template + "'");
                }
                open = -1;
            }
        }
        if (open >= 0) {
            throw new IllegalArgumentException("unclosed '{' at index " + open + " in path template '" + template + "'");
        }
    }

    @Override
    public synchronized String toString() {
        return "UndertowRouter[" + routes.size() + " templates, " + middleware.size() + " middleware"
                + (frozen != null ? ", frozen]" : "]");
    }
}
