package io.signaling.adapter.undertow;

import io.signaling.ports.http.HttpServer;
import io.signaling.ports.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The entry point to the Undertow HTTP adapters: a {@link Router} on Undertow's path templates
 * and an {@link HttpServer} with graceful shutdown.
 *
 * <pre>{@code
 * Router router = UndertowHttp.newRouter()
 *         .use(requestId).use(recovery)
 *         .get("/rooms/{id}", rooms::show);
 * HttpServer server = UndertowHttp.server()
 *         .name("public").host("0.0.0.0").port(8080)
 *         .router(router)
 *         .build();
 * server.start();
 * }</pre>
 */
public final class UndertowHttp {

    private UndertowHttp() {
    }

    /** A new, empty router; it freezes when a server built with it starts. */
    public static Router newRouter() {
        return new UndertowRouter();
    }

    /**
     * The router, with raw handlers mounted on path prefixes ahead of it, as one Undertow handler
     * for a server the caller owns (an embedding host): no listener, no drain handling, the
     * caller's worker threads. Routes match the full request path. Freezes the router.
     *
     * @param mounts raw handlers by path prefix, run behind the router's middleware as
     *               {@link ServerBuilder#mount} describes
     */
    public static io.undertow.server.HttpHandler handler(Router router,
                                                         java.util.Map<String, io.undertow.server.HttpHandler> mounts,
                                                         long maxRequestBodyBytes) {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(mounts, "mounts");
        if (!(router instanceof UndertowRouter undertowRouter)) {
            throw new IllegalArgumentException("UndertowHttp serves routers made by UndertowHttp.newRouter(),"
                    + " not " + router.getClass().getName());
        }
        if (maxRequestBodyBytes < 1) {
            throw new IllegalArgumentException("maxRequestBodyBytes must be at least 1, was " + maxRequestBodyBytes);
        }
        return handler(undertowRouter, mounts, maxRequestBodyBytes);
    }

    static io.undertow.server.HttpHandler handler(UndertowRouter router,
                                                  java.util.Map<String, io.undertow.server.HttpHandler> mounts,
                                                  long maxRequestBodyBytes) {
        HttpRouteTable table = router.freeze();
        io.undertow.server.handlers.PathHandler paths =
                io.undertow.Handlers.path(table.routerHandler(maxRequestBodyBytes));
        mounts.forEach((path, target) -> paths.addPrefixPath(path, table.mountHandler(path, target, maxRequestBodyBytes)));
        return paths;
    }

    /** A builder for one HTTP listener. */
    public static ServerBuilder server() {
        return new ServerBuilder();
    }

    /**
     * Configures one HTTP listener. Not thread-safe; each {@link #build()} returns a new server.
     */
    public static final class ServerBuilder {

        /** Default cap on a request body read through {@code HttpExchange.requestBody()}: 1 MiB. */
        public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;

        private String name = "http";
        private String host = "127.0.0.1";
        private int port = 8080;
        private Router router;
        private final Map<String, io.undertow.server.HttpHandler> mounts = new LinkedHashMap<>();
        private long maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
        private int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int workerThreads = -1;

        private ServerBuilder() {
        }

        /** A short name for logs and thread names, such as {@code public} or {@code admin}. */
        public ServerBuilder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("server name must be letters, digits, '.', '_' or '-': '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /** The address to bind: a host name or IP literal; {@code 0.0.0.0} for every interface. */
        public ServerBuilder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host.strip();
            return this;
        }

        /** The port to bind, 0 for one the OS chooses (see {@link HttpServer#address()}). */
        public ServerBuilder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be within 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The router to serve; it must come from {@link UndertowHttp#newRouter()}. */
        public ServerBuilder router(Router router) {
            Objects.requireNonNull(router, "router");
            if (!(router instanceof UndertowRouter)) {
                throw new IllegalArgumentException("the Undertow server serves routers made by UndertowHttp.newRouter(),"
                        + " not " + router.getClass().getName());
            }
            this.router = router;
            return this;
        }

        /**
         * Serves {@code path} and everything below it with a raw Undertow handler, ahead of the
         * router's routes. The router's middleware still runs first, on the I/O thread, with
         * {@code route()} = {@code path}; the handler then gets the exchange neither dispatched
         * nor in blocking mode, so it may upgrade the connection (WebSocket). Also drained and
         * refused like any request during shutdown.
         */
        public ServerBuilder mount(String path, io.undertow.server.HttpHandler handler) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(handler, "handler");
            String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (!normalized.startsWith("/") || normalized.equals("/")) {
                throw new IllegalArgumentException("mount path must start with '/' and not be the root: '" + path + "'");
            }
            if (normalized.indexOf('{') >= 0 || normalized.indexOf('?') >= 0 || normalized.indexOf('*') >= 0) {
                throw new IllegalArgumentException("mount path is an exact prefix, not a template: '" + path + "'");
            }
            if (mounts.putIfAbsent(normalized, handler) != null) {
                throw new IllegalArgumentException("a handler is already mounted at '" + normalized + "'");
            }
            return this;
        }

        /** The largest request body a handler may read; beyond it, {@code PayloadTooLargeException}. */
        public ServerBuilder maxRequestBodyBytes(long maxRequestBodyBytes) {
            if (maxRequestBodyBytes < 1) {
                throw new IllegalArgumentException("maxRequestBodyBytes must be at least 1, was " + maxRequestBodyBytes);
            }
            this.maxRequestBodyBytes = maxRequestBodyBytes;
            return this;
        }

        /** Threads that accept and parse connections; default: the number of processors, at least 2. */
        public ServerBuilder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1, was " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /** Threads that run handlers (which may block); default: 8 per I/O thread. */
        public ServerBuilder workerThreads(int workerThreads) {
            if (workerThreads < 1) {
                throw new IllegalArgumentException("workerThreads must be at least 1, was " + workerThreads);
            }
            this.workerThreads = workerThreads;
            return this;
        }

        /** A new, not yet started server; without a router it answers everything but its mounts 404. */
        public HttpServer build() {
            UndertowRouter r = router != null ? (UndertowRouter) router : new UndertowRouter();
            int workers = workerThreads > 0 ? workerThreads : ioThreads * 8;
            return new UndertowHttpServer(
                    new UndertowHttpServer.Settings(name, host, port, maxRequestBodyBytes, ioThreads, workers),
                    r, mounts);
        }
    }
}
