package io.signaling.application.http;

import io.signaling.ports.log.Logger.Level;
import io.signaling.ports.testing.FakeHttpExchange;
import io.signaling.ports.testing.RecordingLogger;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.testing.RecordingRouter;
import io.signaling.ports.testing.RecordingTracer;
import io.signaling.ports.testing.RecordingTracer.RecordedSpan;
import io.signaling.ports.testing.StrictJson;
import io.signaling.ports.trace.SpanStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The five middleware together, through a router, as the adapters will run them. */
class StandardMiddlewareTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final RecordingLogger logs = new RecordingLogger();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final RecordingTracer tracer = new RecordingTracer();
    private final RecordingRouter router = new RecordingRouter();
    private final AtomicLong activeSeenByHandler = new AtomicLong(-1);
    private StandardMiddleware chain;

    @BeforeEach
    void setUp() {
        chain = StandardMiddleware.install(router, logs, metrics, tracer);
        router.get("/rooms/{id}", exchange -> {
            activeSeenByHandler.set(chain.activeRequests().getAsLong());
            exchange.send("application/json", "{\"id\":\"" + exchange.pathParameters().get("id") + "\"}");
        });
        router.get("/boom", exchange -> {
            throw new IllegalStateException("secret internals");
        });
    }

    @Test
    void installsFiveMiddlewareOutermostFirst() {
        assertThat(router.middleware()).extracting(m -> m.getClass().getSimpleName()).containsExactly(
                "RequestIdMiddleware", "RecoveryMiddleware", "TracingMiddleware", "MetricsMiddleware",
                "AccessLogMiddleware");
    }

    @Test
    void aRequestIsCorrelatedAcrossLogsMetricsAndTraces() throws Exception {
        FakeHttpExchange exchange = router.dispatch(FakeHttpExchange.get("/rooms/7")
                .header("X-Request-ID", "client-req-1")
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseHeader("X-Request-ID")).hasValue("client-req-1");
        RecordedSpan span = tracer.span("GET /rooms/{id}");
        assertThat(span.context().traceId()).isEqualTo(TRACE_ID);
        assertThat(span.attributes()).containsEntry("request.id", "client-req-1");
        assertThat(exchange.responseHeader("traceresponse")).hasValue("00-" + TRACE_ID + "-" + span.context().spanId() + "-01");
        RecordingLogger.Event access = logs.eventsOf(StandardMiddleware.ACCESS_LOGGER).get(0);
        assertThat(access.get("request_id")).isEqualTo("client-req-1");
        assertThat(access.get("trace_id")).isEqualTo(TRACE_ID);
        assertThat(access.get("route")).isEqualTo("/rooms/{id}");
        assertThat(metrics.timer("http.server.requests", "uri", "/rooms/{id}", "status", "200")).isPresent();
        assertThat(activeSeenByHandler).hasValue(1);
        assertThat(chain.activeRequests().getAsLong()).isZero();
    }

    @Test
    void aThrowingHandlerIsSeenByEveryLayerAndTheServerKeepsServing() throws Exception {
        FakeHttpExchange failed = router.dispatch(FakeHttpExchange.get("/boom"));

        assertThat(failed.status()).isEqualTo(500);
        String requestId = failed.responseHeader("X-Request-ID").orElseThrow();
        Map<String, Object> problem = StrictJson.parseObject(failed.responseBodyAsString());
        assertThat(problem).containsEntry("requestId", requestId).containsEntry("instance", "/boom");
        assertThat(failed.responseBodyAsString()).doesNotContain("secret internals");

        RecordedSpan span = tracer.span("GET /boom");
        assertThat(span.status()).isEqualTo(SpanStatus.ERROR);
        assertThat(span.errors()).hasSize(1);
        assertThat(span.attributes()).containsEntry("http.response.status_code", 500L);
        assertThat(metrics.timer("http.server.requests", "uri", "/boom", "status", "500",
                "outcome", "SERVER_ERROR", "exception", "IllegalStateException")).isPresent();
        assertThat(metrics.counter("http.server.errors", "exception", "IllegalStateException").orElseThrow().count())
                .isEqualTo(1.0);
        assertThat(logs.eventsOf(StandardMiddleware.ACCESS_LOGGER)).singleElement()
                .satisfies(e -> assertThat(e.get("status")).isEqualTo(500));
        assertThat(logs.events(Level.ERROR)).singleElement().satisfies(e -> {
            assertThat(e.get("request_id")).isEqualTo(requestId);
            assertThat(e.error()).hasMessage("secret internals");
        });

        FakeHttpExchange next = router.dispatch(FakeHttpExchange.get("/rooms/8"));
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.responseBodyAsString()).isEqualTo("{\"id\":\"8\"}");
    }

    @Test
    void notFoundGoesThroughTheChainWithBoundedNames() throws Exception {
        FakeHttpExchange missing = router.dispatch(FakeHttpExchange.get("/does/not/exist"));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.responseHeader("X-Request-ID")).isPresent();
        assertThat(tracer.spans()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("GET"));
        assertThat(metrics.timer("http.server.requests", "uri", "NOT_FOUND", "status", "404")).isPresent();
    }

    @Test
    void optionsAreApplied() throws Exception {
        RecordingRouter other = new RecordingRouter();
        StandardMiddleware.builder(logs, metrics, tracer)
                .requestIdGenerator(() -> "generated")
                .accessLogExcludes(java.util.Set.of("/quiet"))
                .maxUris(1)
                .build()
                .install(other);
        other.get("/quiet", exchange -> { }).get("/loud", exchange -> { });

        FakeHttpExchange quiet = other.dispatch(FakeHttpExchange.get("/quiet"));
        other.dispatch(FakeHttpExchange.get("/loud"));

        assertThat(quiet.responseHeader("X-Request-ID")).hasValue("generated");
        assertThat(logs.eventsOf(StandardMiddleware.ACCESS_LOGGER)).extracting(e -> e.get("route"))
                .containsExactly("/loud");
        assertThat(metrics.timer("http.server.requests", "uri", "OTHER")).isPresent();
    }

    @Test
    void healthProbesAreTimedButNotTracedUnlessAsked() throws Exception {
        router.get(io.signaling.application.health.HealthRoutes.LIVE_PATH, exchange -> exchange.status(200));
        router.dispatch(FakeHttpExchange.get("/health/live"));
        router.dispatch(FakeHttpExchange.get("/rooms/9"));

        assertThat(tracer.spans()).extracting(RecordedSpan::name).containsExactly("GET /rooms/{id}");
        assertThat(metrics.timer("http.server.requests", "uri", "/health/live", "status", "200")).isPresent();

        RecordingRouter traced = new RecordingRouter();
        StandardMiddleware.builder(logs, metrics, tracer).untracedRoutes(java.util.Set.of()).build().install(traced);
        traced.get("/health/live", exchange -> exchange.status(200));
        FakeHttpExchange probe = traced.dispatch(FakeHttpExchange.get("/health/live"));

        assertThat(tracer.spans()).extracting(RecordedSpan::name).containsExactly("GET /rooms/{id}", "GET /health/live");
        assertThat(probe.responseHeader("traceresponse")).isPresent();
    }
}
