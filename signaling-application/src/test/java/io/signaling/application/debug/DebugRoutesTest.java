package io.signaling.application.debug;

import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.testing.FakeHttpExchange;
import io.signaling.ports.testing.RecordingRouter;
import io.signaling.ports.testing.StrictJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DebugRoutesTest {

    private final DebugRoutes routes = new DebugRoutes(() -> LifecycleState.DRAINING, () -> 3L, "1.2.3", "abc1234");

    @Test
    @SuppressWarnings("unchecked")
    void runtimeIsValidJsonWithEveryKey() throws Exception {
        FakeHttpExchange exchange = FakeHttpExchange.get("/debug/runtime");

        routes.runtime().handle(exchange);

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseHeader("Content-Type")).hasValue("application/json");
        assertThat(exchange.responseHeader("Cache-Control")).hasValue("no-store");
        Map<String, Object> json = StrictJson.parseObject(exchange.responseBodyAsString());
        assertThat(json).containsKeys("timestamp", "uptimeMs", "startTime", "jvm", "memory", "gc", "threads",
                "availableProcessors", "systemLoadAverage", "openFileDescriptors", "maxFileDescriptors", "build",
                "lifecycleState", "activeRequests");
        assertThat(((BigDecimal) json.get("uptimeMs")).longValue()).isPositive();
        Map<String, Object> jvm = (Map<String, Object>) json.get("jvm");
        assertThat(jvm.get("version")).isEqualTo(Runtime.version().toString());
        assertThat(jvm).containsKeys("vendor", "name", "pid");
        Map<String, Object> memory = (Map<String, Object>) json.get("memory");
        assertThat((Map<String, Object>) memory.get("heap")).containsKeys("usedBytes", "committedBytes", "maxBytes");
        assertThat(((BigDecimal) ((Map<String, Object>) memory.get("heap")).get("usedBytes")).longValue()).isPositive();
        assertThat((Map<String, Object>) memory.get("nonHeap")).containsKeys("usedBytes", "committedBytes");
        List<Map<String, Object>> gc = (List<Map<String, Object>>) json.get("gc");
        assertThat(gc).isNotEmpty().allSatisfy(c -> assertThat(c).containsKeys("name", "count", "timeMs"));
        Map<String, Object> threads = (Map<String, Object>) json.get("threads");
        assertThat(((BigDecimal) threads.get("live")).intValue()).isPositive();
        assertThat(threads).containsKeys("daemon", "peak");
        assertThat(((BigDecimal) json.get("availableProcessors")).intValue())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(((BigDecimal) json.get("openFileDescriptors")).longValue()).isPositive();
        }
        assertThat(json.get("build")).isEqualTo(Map.of("version", "1.2.3", "commit", "abc1234"));
        assertThat(json.get("lifecycleState")).isEqualTo("DRAINING");
        assertThat(((BigDecimal) json.get("activeRequests")).longValue()).isEqualTo(3);
    }

    @Test
    void threadsIsAFullTextDumpIncludingDeepStacksAndLocks() throws Exception {
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Object monitor = new Object();
        Thread deep = new Thread(() -> recurse(20, monitor, parked, release), "deep-test-thread");
        deep.start();
        try {
            assertThat(parked.await(5, TimeUnit.SECONDS)).isTrue();
            FakeHttpExchange exchange = FakeHttpExchange.get("/debug/threads");

            routes.threads().handle(exchange);

            assertThat(exchange.responseHeader("Content-Type")).hasValue("text/plain; charset=utf-8");
            String dump = exchange.responseBodyAsString();
            assertThat(dump).contains("\"deep-test-thread\"").contains("\"main\"").contains("- locked");
            String deepSection = dump.substring(dump.indexOf("\"deep-test-thread\""));
            deepSection = deepSection.substring(0, deepSection.indexOf("\n\n"));
            assertThat(deepSection.split("DebugRoutesTest.recurse", -1).length - 1)
                    .as("every frame, not the 8 of ThreadInfo.toString()").isGreaterThan(20);
        } finally {
            release.countDown();
            deep.join(5_000);
        }
    }

    private static void recurse(int depth, Object monitor, CountDownLatch parked, CountDownLatch release) {
        if (depth > 0) {
            recurse(depth - 1, monitor, parked, release);
            return;
        }
        synchronized (monitor) {
            parked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void registerAddsBothRoutes() {
        RecordingRouter router = new RecordingRouter();

        routes.register(router);

        assertThat(router.routes()).containsOnlyKeys("/debug/runtime", "/debug/threads");
    }
}
