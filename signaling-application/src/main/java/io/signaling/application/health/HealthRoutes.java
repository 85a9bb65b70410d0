package io.signaling.application.health;

import io.signaling.domain.health.HealthReport;
import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.health.HealthQuery;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.NonBlockingHttpHandler;
import io.signaling.ports.http.Router;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The health endpoints, as port handlers so that any router adapter serves them.
 *
 * <ul>
 *   <li>{@value #LIVE_PATH}: 200 {@code {"status":"UP"}} while live, else 503
 *       {@code {"status":"DOWN",...}}; liveness checks, if any, are listed under {@code checks}.</li>
 *   <li>{@value #READY_PATH}: the MicroProfile shape
 *       {@code {"status":"UP","checks":[{"name":"lifecycle","status":"UP","data":{"state":"READY"}}]}};
 *       200 only when the report is UP (which needs READY), else 503 with the same shape, plus
 *       {@code Retry-After} while draining or stopped, telling clients and balancers when to look
 *       elsewhere.</li>
 * </ul>
 * Both answer {@code application/json} with {@code Cache-Control: no-store}: a cached probe
 * answer would hide a drain from a load balancer. HEAD is served by the router from GET.
 *
 * <p>Thread-safety: the handlers are stateless and safe for concurrent requests.
 */
public final class HealthRoutes {

    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";

    static final String CONTENT_TYPE = "application/json";

    private final HealthQuery health;
    private final Supplier<LifecycleState> lifecycleState;
    private final String retryAfterSeconds;

    /**
     * @param health         the reports to render
     * @param lifecycleState the state, to decide whether a 503 says "draining, retry later"
     * @param retryAfter     the {@code Retry-After} sent while draining; rounded up to seconds
     */
    public HealthRoutes(HealthQuery health, Supplier<LifecycleState> lifecycleState, Duration retryAfter) {
        this.health = Objects.requireNonNull(health, "health");
        this.lifecycleState = Objects.requireNonNull(lifecycleState, "lifecycleState");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        this.retryAfterSeconds = Long.toString(seconds);
    }

    /** Routes on a {@link HealthService}, with its lifecycle state and a 5 s {@code Retry-After}. */
    public static HealthRoutes of(HealthService health) {
        return new HealthRoutes(health, health::lifecycleState, Duration.ofSeconds(5));
    }

    /** Registers {@code GET} {@value #LIVE_PATH} and {@value #READY_PATH}. */
    public Router register(Router router) {
        Objects.requireNonNull(router, "router");
        return router.get(LIVE_PATH, liveness()).get(READY_PATH, readiness());
    }

    /**
     * The liveness handler; non-blocking (run on the I/O thread, no hand-off to a worker) when the
     * health query says liveness never waits, which holds while no liveness check is registered.
     */
    public HttpHandler liveness() {
        HttpHandler handler = exchange -> respond(exchange, health.liveness(), true, false);
        return health.livenessMayBlock() ? handler : NonBlockingHttpHandler.of(handler);
    }

    public HttpHandler readiness() {
        return exchange -> {
            HealthReport report = health.readiness();
            LifecycleState state = lifecycleState.get();
            boolean draining = state == LifecycleState.DRAINING || state == LifecycleState.STOPPED;
            respond(exchange, report, false, draining);
        };
    }

    private void respond(HttpExchange exchange, HealthReport report, boolean omitEmptyChecks, boolean retryLater)
            throws java.io.IOException {
        exchange.status(report.isUp() ? 200 : 503);
        exchange.responseHeader("Content-Type", CONTENT_TYPE);
        exchange.responseHeader("Cache-Control", "no-store");
        if (!report.isUp() && retryLater) {
            exchange.responseHeader("Retry-After", retryAfterSeconds);
        }
        exchange.send(HealthJson.render(report, omitEmptyChecks).getBytes(StandardCharsets.UTF_8));
    }
}
