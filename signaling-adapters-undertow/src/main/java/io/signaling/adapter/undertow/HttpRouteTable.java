package io.signaling.adapter.undertow;

import io.signaling.ports.http.AttributeKey;
import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.http.NonBlockingHttpHandler;
import io.signaling.ports.http.Problem;
import io.signaling.ports.http.Routes;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.PathTemplateMatcher;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The frozen form of an {@link UndertowRouter}: every route's handler already wrapped in the
 * middleware chain, and the Undertow handlers that dispatch to them.
 *
 * <p>Immutable after {@link #build}; safe to share between servers and threads.
 */
final class HttpRouteTable {

    // Marks an exchange whose middleware chain handed it to the mounted handler.
    private static final AttachmentKey<Boolean> MOUNT_REACHED = AttachmentKey.create(Boolean.class);
    // Lets the innermost mount handler find the raw exchange behind a decorated port exchange.
    private static final AttributeKey<HttpServerExchange> RAW_EXCHANGE =
            AttributeKey.of("undertow-exchange", HttpServerExchange.class);

    private final PathTemplateMatcher<Template> matcher = new PathTemplateMatcher<>();
    // Templates without variables, by their path: their dispatch is decided once, here, so a
    // request to one (a health probe) is routed without Undertow's matcher and its per-request
    // parameter map and result. A path equal to such a template is always matched by it there too
    // (its stem is the whole path, the longest the matcher tries, and fixed templates sort first).
    private final Map<String, Template> fixed = new HashMap<>();
    private final HeaderNames headerNames = new HeaderNames();
    private final List<Middleware> middleware;
    private final HttpHandler notFound;
    private final Dispatch notFoundDispatch;

    /**
     * One template's chains by method, plus its 405 fallback; for a template without variables
     * also its dispatch per method (HEAD included when GET serves it) and its 405 dispatch.
     */
    private record Template(String template, Map<String, HttpHandler> chains, Set<String> nonBlocking,
                            HttpHandler methodNotAllowed, Map<String, Dispatch> dispatches, Dispatch notAllowed) {
    }

    /** @param nonBlocking whether the chain may run on the I/O thread */
    private record Dispatch(String route, Map<String, String> parameters, HttpHandler chain, boolean nonBlocking) {
    }

    private HttpRouteTable(Map<String, Map<String, HttpHandler>> routes, List<Middleware> middleware) {
        this.middleware = List.copyOf(middleware);
        this.notFound = wrap(HttpRouteTable::notFound);
        this.notFoundDispatch = new Dispatch(Routes.NOT_FOUND, Map.of(), notFound, true);
        for (Map.Entry<String, Map<String, HttpHandler>> e : routes.entrySet()) {
            String template = e.getKey();
            Map<String, HttpHandler> chains = new LinkedHashMap<>();
            Set<String> nonBlocking = new HashSet<>();
            e.getValue().forEach((method, handler) -> {
                chains.put(method, wrap(handler));
                if (handler instanceof NonBlockingHttpHandler) {
                    nonBlocking.add(method);
                }
            });
            String allow = allow(chains.keySet());
            HttpHandler notAllowed = wrap(ex -> methodNotAllowed(ex, allow));
            Map<String, Dispatch> dispatches = null;
            Dispatch notAllowedDispatch = null;
            if (isFixed(template)) {
                dispatches = new HashMap<>();
                for (Map.Entry<String, HttpHandler> chain : chains.entrySet()) {
                    dispatches.put(chain.getKey(), new Dispatch(template, Map.of(), chain.getValue(),
                            nonBlocking.contains(chain.getKey())));
                }
                if (!dispatches.containsKey("HEAD") && dispatches.containsKey("GET")) {
                    dispatches.put("HEAD", dispatches.get("GET"));
                }
                dispatches = Map.copyOf(dispatches);
                notAllowedDispatch = new Dispatch(Routes.METHOD_NOT_ALLOWED, Map.of(), notAllowed, true);
            }
            Template t = new Template(template, Map.copyOf(chains), Set.copyOf(nonBlocking), notAllowed, dispatches,
                    notAllowedDispatch);
            matcher.add(template, t);
            if (dispatches != null) {
                fixed.put(template, t);
            }
        }
    }

    /** A template the matcher matches by equality alone: no variables, no trailing slash (but {@code /}). */
    private static boolean isFixed(String template) {
        return template.startsWith("/") && template.indexOf('{') < 0 && template.indexOf('*') < 0
                && (template.length() == 1 || !template.endsWith("/"));
    }

    static HttpRouteTable build(Map<String, Map<String, HttpHandler>> routes, List<Middleware> middleware) {
        return new HttpRouteTable(routes, middleware);
    }

    /** Wraps {@code inner} in the middleware, the first added outermost. */
    HttpHandler wrap(HttpHandler inner) {
        HttpHandler chain = inner;
        for (int i = middleware.size() - 1; i >= 0; i--) {
            Middleware m = middleware.get(i);
            HttpHandler next = m.wrap(chain);
            if (next == null) {
                throw new IllegalStateException("middleware " + m + " returned a null handler from wrap()");
            }
            chain = next;
        }
        return chain;
    }

    private Dispatch resolve(String method, String path) {
        Template exact = fixed.get(path);
        if (exact != null) {
            Dispatch d = exact.dispatches().get(method);
            return d != null ? d : exact.notAllowed();
        }
        PathTemplateMatcher.PathMatchResult<Template> match = matcher.match(path);
        // Undertow matches "/rooms/" to "/rooms/{id}" with an empty id; no handler wants that.
        if (match == null || match.getParameters().containsValue("")) {
            return notFoundDispatch;
        }
        Template t = match.getValue();
        String routed = method;
        HttpHandler chain = t.chains().get(method);
        if (chain == null && "HEAD".equals(method)) {
            routed = "GET";
            chain = t.chains().get("GET");
        }
        if (chain == null) {
            return new Dispatch(Routes.METHOD_NOT_ALLOWED, Map.of(), t.methodNotAllowed(), true);
        }
        return new Dispatch(t.template(), match.getParameters(), chain, t.nonBlocking().contains(routed));
    }

    /**
     * The Undertow handler that runs the routes: on a worker thread, where handlers may block,
     * unless the route's handler is a {@link NonBlockingHttpHandler}, which runs with its
     * middleware on the I/O thread and saves the hand-off.
     */
    io.undertow.server.HttpHandler routerHandler(long maxRequestBodyBytes) {
        io.undertow.server.HttpHandler onWorker = new io.undertow.server.HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange raw) throws Exception {
                raw.startBlocking();
                run(raw, resolve(raw.getRequestMethod().toString(), raw.getRequestPath()), maxRequestBodyBytes);
            }
        };
        return new io.undertow.server.HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange raw) throws Exception {
                Dispatch d = resolve(raw.getRequestMethod().toString(), raw.getRequestPath());
                if (d.nonBlocking()) {
                    run(raw, d, maxRequestBodyBytes);
                } else if (raw.isInIoThread()) {
                    raw.dispatch(onWorker);
                } else {
                    raw.startBlocking();
                    run(raw, d, maxRequestBodyBytes);
                }
            }

            @Override
            public String toString() {
                return "router(" + matcher.getPathTemplates().size() + " templates)";
            }
        };
    }

    private void run(HttpServerExchange raw, Dispatch d, long maxRequestBodyBytes) throws Exception {
        UndertowHttpExchange exchange = new UndertowHttpExchange(raw, d.route(), d.parameters(), maxRequestBodyBytes, headerNames);
        try {
            d.chain().handle(exchange);
        } catch (Throwable t) {
            failed(exchange, t);
            throw t;
        } finally {
            // A handler that returned without sending ends the exchange with its status.
            exchange.finish();
        }
    }

    /**
     * The Undertow handler for a mount: the port middleware runs first (on the I/O thread, route =
     * the mount path), then {@code target} gets the raw exchange as it arrived, neither dispatched
     * nor blocking, so that it may upgrade the connection or dispatch on its own terms.
     */
    io.undertow.server.HttpHandler mountHandler(String mountPath, io.undertow.server.HttpHandler target,
                                                 long maxRequestBodyBytes) {
        Objects.requireNonNull(mountPath, "mountPath");
        Objects.requireNonNull(target, "target");
        HttpHandler chain = wrap(ex -> {
            HttpServerExchange raw = rawOf(ex);
            raw.putAttachment(MOUNT_REACHED, Boolean.TRUE);
            target.handleRequest(raw);
        });
        return new io.undertow.server.HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange raw) throws Exception {
                UndertowHttpExchange exchange = new UndertowHttpExchange(raw, mountPath, Map.of(), maxRequestBodyBytes,
                        headerNames).attach();
                raw.addExchangeCompleteListener(DETACH);
                exchange.attribute(RAW_EXCHANGE, raw);
                try {
                    chain.handle(exchange);
                } catch (Throwable t) {
                    if (raw.getAttachment(MOUNT_REACHED) == null) {
                        failed(exchange, t);
                    }
                    // Once the mount has the exchange, it owns the response: no problem body here.
                    throw t;
                }
                if (raw.getAttachment(MOUNT_REACHED) == null && !exchange.sent()) {
                    // Middleware answered without calling the mount (a 429, a 401): end with its status.
                    raw.endExchange();
                }
            }

            @Override
            public String toString() {
                return "mount(" + mountPath + " -> " + target + ")";
            }
        };
    }

    /**
     * Drops the port exchange from the Undertow exchange once the HTTP exchange is over. An upgraded
     * exchange stays reachable from its WebSocket for the connection's life; without this it would
     * keep the port exchange, its attributes and the ended server span (about 1 KB) per socket.
     */
    private static final ExchangeCompletionListener DETACH = (raw, next) -> {
        raw.removeAttachment(UndertowHttpExchange.ATTACHMENT);
        next.proceed();
    };

    private static HttpServerExchange rawOf(HttpExchange exchange) {
        if (exchange instanceof UndertowHttpExchange u) {
            return u.undertowExchange();
        }
        // A middleware may decorate the exchange; a decorator still delegates the attributes.
        Optional<HttpServerExchange> raw = exchange.attribute(RAW_EXCHANGE);
        if (raw.isPresent()) {
            return raw.get();
        }
        throw new IllegalStateException("a middleware replaced the exchange with " + exchange.getClass().getName()
                + "; a mounted Undertow handler needs the exchange the router created");
    }

    /** Answers a failure nobody handled with a problem 500, when the response can still carry one. */
    private static void failed(UndertowHttpExchange exchange, Throwable t) {
        HttpServerExchange raw = exchange.undertowExchange();
        raw.setPersistent(false);
        if (exchange.isResponseStarted()) {
            return;
        }
        try {
            Problem.of(500, "The server could not handle the request.", exchange.path(),
                    exchange.attribute(ExchangeAttributes.REQUEST_ID).orElse(null)).sendTo(exchange);
        } catch (Exception | LinkageError suppressed) {
            t.addSuppressed(suppressed);
        }
    }

    private static void notFound(HttpExchange exchange) throws Exception {
        Problem.of(404, "No resource matches " + exchange.path() + ".", exchange.path(),
                exchange.attribute(ExchangeAttributes.REQUEST_ID).orElse(null)).sendTo(exchange);
    }

    private static void methodNotAllowed(HttpExchange exchange, String allow) throws Exception {
        exchange.responseHeader("Allow", allow);
        Problem.of(405, "Method " + exchange.method() + " is not allowed on " + exchange.path() + "; allowed: "
                        + allow + ".", exchange.path(),
                exchange.attribute(ExchangeAttributes.REQUEST_ID).orElse(null)).sendTo(exchange);
    }

    private static String allow(Set<String> methods) {
        TreeSet<String> all = new TreeSet<>(methods);
        if (all.contains("GET")) {
            all.add("HEAD");
        }
        return String.join(", ", all);
    }
}
