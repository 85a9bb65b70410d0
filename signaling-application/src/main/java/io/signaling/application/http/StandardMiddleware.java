package io.signaling.application.http;

import io.signaling.application.health.HealthRoutes;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.http.Router;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The standard middleware chain and the one entry point to it. {@link #install(Router)} adds, in
 * this order (outermost first):
 * <ol>
 *   <li>request id: accepts a well-formed {@code X-Request-ID} (1 to 128 characters of
 *       {@code [A-Za-z0-9._:-]}), else generates 32 hex characters; echoes it;</li>
 *   <li>recovery: any throwable becomes an RFC 9457 500 (413 for an oversized body), logged,
 *       counted in {@code http.server.errors} and recorded on the span;</li>
 *   <li>tracing: one SERVER span per request, parent from {@code traceparent}, and a
 *       {@code traceresponse} header; none for the untraced routes (the health probes by
 *       default, see {@link Builder#untracedRoutes});</li>
 *   <li>metrics: the timer {@code http.server.requests} and the gauge
 *       {@code http.server.active.requests};</li>
 *   <li>access log: one info line per request on the logger {@value #ACCESS_LOGGER}.</li>
 * </ol>
 * The order matters: the id exists before anything logs, recovery sees failures of the telemetry
 * layers too, and the span is current while metrics and the access log run.
 *
 * <p>Thread-safety: build and install while configuring the router; the installed middleware is
 * safe for concurrent requests. One instance may be installed on several routers (the public and
 * the admin listener), which then share its metrics and active-request count.
 */
public final class StandardMiddleware {

    /** The logger name of the access log, so it can be routed or silenced on its own. */
    public static final String ACCESS_LOGGER = "io.signaling.http.access";

    /** Routes not access-logged by default: probes and scrapes. */
    public static final Set<String> DEFAULT_ACCESS_LOG_EXCLUDES =
            Set.of(HealthRoutes.LIVE_PATH, HealthRoutes.READY_PATH, "/metrics");

    /** Routes that get no server span by default: the health probes (still timed, still access-loggable). */
    public static final Set<String> DEFAULT_UNTRACED_ROUTES = Set.of(HealthRoutes.LIVE_PATH, HealthRoutes.READY_PATH);

    private final RequestIdMiddleware requestId;
    private final RecoveryMiddleware recovery;
    private final TracingMiddleware tracing;
    private final MetricsMiddleware metrics;
    private final AccessLogMiddleware accessLog;

    private StandardMiddleware(Builder b) {
        this.requestId = new RequestIdMiddleware(b.requestIdGenerator);
        this.recovery = new RecoveryMiddleware(b.loggers.logger(RecoveryMiddleware.class.getName()), b.metrics);
        this.tracing = new TracingMiddleware(b.tracer, b.loggers.logger(TracingMiddleware.class.getName()),
                b.untracedRoutes);
        this.metrics = new MetricsMiddleware(b.metrics, b.loggers.logger(MetricsMiddleware.class.getName()), b.maxUris);
        this.accessLog = new AccessLogMiddleware(b.loggers.logger(ACCESS_LOGGER), b.accessLogExcludes);
    }

    public static Builder builder(LoggerFactory loggers, Metrics metrics, Tracer tracer) {
        return new Builder(loggers, metrics, tracer);
    }

    /** Installs the chain with default options and returns it (for {@link #activeRequests()}). */
    public static StandardMiddleware install(Router router, LoggerFactory loggers, Metrics metrics, Tracer tracer) {
        StandardMiddleware chain = builder(loggers, metrics, tracer).build();
        chain.install(router);
        return chain;
    }

    /** Adds the five middleware to the router, outermost first. */
    public Router install(Router router) {
        Objects.requireNonNull(router, "router");
        for (Middleware m : middleware()) {
            router.use(m);
        }
        return router;
    }

    /** The chain, outermost first, for a router that is assembled by hand. */
    public List<Middleware> middleware() {
        return List.of(requestId, recovery, tracing, metrics, accessLog);
    }

    /** Requests in flight through the chain; e.g. for {@code /debug/runtime}. */
    public LongSupplier activeRequests() {
        return metrics::activeRequests;
    }

    /** Options of the standard chain. */
    public static final class Builder {
        private final LoggerFactory loggers;
        private final Metrics metrics;
        private final Tracer tracer;
        private Supplier<String> requestIdGenerator = RequestIdMiddleware::randomId;
        private int maxUris = 100;
        private Set<String> accessLogExcludes = DEFAULT_ACCESS_LOG_EXCLUDES;
        private Set<String> untracedRoutes = DEFAULT_UNTRACED_ROUTES;

        private Builder(LoggerFactory loggers, Metrics metrics, Tracer tracer) {
            this.loggers = Objects.requireNonNull(loggers, "loggers");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            this.tracer = Objects.requireNonNull(tracer, "tracer");
        }

        /** Makes ids for requests without a well-formed one; must be fast and thread-safe. */
        public Builder requestIdGenerator(Supplier<String> generator) {
            this.requestIdGenerator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** Distinct {@code uri} tag values before new ones become {@code OTHER}; default 100. */
        public Builder maxUris(int maxUris) {
            if (maxUris < 1) {
                throw new IllegalArgumentException("maxUris must be at least 1: " + maxUris);
            }
            this.maxUris = maxUris;
            return this;
        }

        /** Route templates the access log skips; default {@link #DEFAULT_ACCESS_LOG_EXCLUDES}. */
        public Builder accessLogExcludes(Set<String> routes) {
            this.accessLogExcludes = Set.copyOf(Objects.requireNonNull(routes, "routes"));
            return this;
        }

        /**
         * Route templates whose requests start no server span (no {@code traceresponse} either);
         * default {@link #DEFAULT_UNTRACED_ROUTES}, the health probes, which balancers and
         * orchestrators send every few seconds; an empty set traces every request. Metrics and
         * the access log are not affected.
         */
        public Builder untracedRoutes(Set<String> routes) {
            this.untracedRoutes = Set.copyOf(Objects.requireNonNull(routes, "routes"));
            return this;
        }

        public StandardMiddleware build() {
            return new StandardMiddleware(this);
        }
    }
}
