package io.signaling.application.health;

import io.signaling.domain.health.CheckResult;
import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.health.HealthCheck.Probe;
import io.signaling.ports.testing.FakeHttpExchange;
import io.signaling.ports.testing.RecordingRouter;
import io.signaling.ports.testing.StrictJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRoutesTest {

    private final AtomicReference<LifecycleState> state = new AtomicReference<>(LifecycleState.READY);
    private final AtomicReference<CheckResult> redis = new AtomicReference<>();
    private HealthService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
    }

    private HealthRoutes routes(boolean withRedis) {
        HealthService.Builder b = HealthService.builder(state::get).cacheTtl(Duration.ZERO);
        if (withRedis) {
            b.check(new HealthCheck() {
                @Override
                public String name() {
                    return "redis";
                }

                @Override
                public CheckResult check() {
                    return redis.get();
                }
            });
        }
        service = b.build();
        return new HealthRoutes(service, state::get, Duration.ofSeconds(7));
    }

    private static FakeHttpExchange call(io.signaling.ports.http.HttpHandler handler, String path) throws Exception {
        FakeHttpExchange exchange = FakeHttpExchange.get(path);
        handler.handle(exchange);
        return exchange;
    }

    @Test
    void livenessIsNonBlockingUnlessALivenessCheckCanMakeItWait() {
        // Readiness checks never take part in liveness, so they do not make it block.
        assertThat(routes(true).liveness()).isInstanceOf(io.signaling.ports.http.NonBlockingHttpHandler.class);
        service.close();

        service = HealthService.builder(state::get).check(new HealthCheck() {
            @Override
            public String name() {
                return "deadlock-detector";
            }

            @Override
            public CheckResult check() {
                return CheckResult.up("deadlock-detector");
            }

            @Override
            public java.util.Set<Probe> probes() {
                return java.util.Set.of(Probe.LIVENESS);
            }
        }).build();
        assertThat(new HealthRoutes(service, state::get, Duration.ofSeconds(7)).liveness())
                .isNotInstanceOf(io.signaling.ports.http.NonBlockingHttpHandler.class);
    }

    @Test
    void liveIsUpWithTheBareBody() throws Exception {
        FakeHttpExchange exchange = call(routes(true).liveness(), "/health/live");

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseBodyAsString()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(exchange.responseHeader("Content-Type")).hasValue("application/json");
        assertThat(exchange.responseHeader("Cache-Control")).hasValue("no-store");
    }

    @Test
    void liveIs503OnceStopped() throws Exception {
        HealthRoutes routes = routes(false);
        state.set(LifecycleState.STOPPED);

        FakeHttpExchange exchange = call(routes.liveness(), "/health/live");

        assertThat(exchange.status()).isEqualTo(503);
        assertThat(exchange.responseBodyAsString()).isEqualTo(
                "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"lifecycle\",\"status\":\"DOWN\",\"data\":{\"state\":\"STOPPED\"}}]}");
    }

    @Test
    void readyRendersTheMicroProfileShape() throws Exception {
        HealthRoutes routes = routes(false);

        FakeHttpExchange exchange = call(routes.readiness(), "/health/ready");

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseBodyAsString()).isEqualTo(
                "{\"status\":\"UP\",\"checks\":[{\"name\":\"lifecycle\",\"status\":\"UP\",\"data\":{\"state\":\"READY\"}}]}");
        assertThat(exchange.responseHeader("Content-Type")).hasValue("application/json");
        assertThat(exchange.responseHeader("Cache-Control")).hasValue("no-store");
        assertThat(exchange.responseHeader("Retry-After")).isEmpty();
    }

    @Test
    void dataValuesKeepTheirJsonTypesAndStringsAreEscaped() throws Exception {
        HealthRoutes routes = routes(true);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("host", "redis:6379 \"primary\"");
        data.put("latency_ms", 12L);
        data.put("ratio", 0.5);
        data.put("tls", true);
        data.put("nan", Double.NaN);
        redis.set(CheckResult.up("redis", data));

        String body = call(routes.readiness(), "/health/ready").responseBodyAsString();

        assertThat(body).contains(
                "{\"name\":\"redis\",\"status\":\"UP\",\"data\":{\"host\":\"redis:6379 \\\"primary\\\"\","
                        + "\"latency_ms\":12,\"ratio\":0.5,\"tls\":true,\"nan\":\"NaN\"}}");
        Map<String, Object> parsed = StrictJson.parseObject(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> redisData = (Map<String, Object>) ((Map<String, Object>) ((List<?>) parsed.get("checks")).get(1)).get("data");
        assertThat(redisData.get("host")).isEqualTo("redis:6379 \"primary\"");
        assertThat(redisData.get("tls")).isEqualTo(true);
    }

    @Test
    void drainingIs503WithRetryAfterAndTheSameShape() throws Exception {
        HealthRoutes routes = routes(true);
        redis.set(CheckResult.up("redis"));
        state.set(LifecycleState.DRAINING);

        FakeHttpExchange exchange = call(routes.readiness(), "/health/ready");

        assertThat(exchange.status()).isEqualTo(503);
        assertThat(exchange.responseHeader("Retry-After")).hasValue("7");
        assertThat(exchange.responseHeader("Cache-Control")).hasValue("no-store");
        assertThat(exchange.responseBodyAsString()).isEqualTo("{\"status\":\"DOWN\",\"checks\":["
                + "{\"name\":\"lifecycle\",\"status\":\"DOWN\",\"data\":{\"state\":\"DRAINING\"}},"
                + "{\"name\":\"redis\",\"status\":\"UP\"}]}");
    }

    @Test
    void startingOrACheckDownIs503WithoutRetryAfter() throws Exception {
        HealthRoutes routes = routes(true);
        redis.set(CheckResult.down("redis", "connection refused"));

        FakeHttpExchange down = call(routes.readiness(), "/health/ready");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.responseHeader("Retry-After")).isEmpty();
        assertThat(down.responseBodyAsString()).contains(
                "{\"name\":\"redis\",\"status\":\"DOWN\",\"data\":{\"reason\":\"connection refused\"}}");

        redis.set(CheckResult.up("redis"));
        state.set(LifecycleState.STARTING);
        FakeHttpExchange starting = call(routes.readiness(), "/health/ready");
        assertThat(starting.status()).isEqualTo(503);
        assertThat(starting.responseHeader("Retry-After")).isEmpty();
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() throws Exception {
        service = HealthService.builder(state::get).build();
        HealthRoutes routes = new HealthRoutes(service, state::get, Duration.ofMillis(1500));
        state.set(LifecycleState.DRAINING);

        assertThat(call(routes.readiness(), "/health/ready").responseHeader("Retry-After")).hasValue("2");
    }

    @Test
    void registerAddsBothGetRoutes() throws Exception {
        RecordingRouter router = new RecordingRouter();
        routes(false).register(router);

        assertThat(router.routes()).containsEntry("/health/live", List.of("GET"))
                .containsEntry("/health/ready", List.of("GET"));
        assertThat(router.dispatch(FakeHttpExchange.get("/health/ready")).status()).isEqualTo(200);
    }
}
