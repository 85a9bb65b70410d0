package io.signaling.app.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code tracing.health-probe-spans} on a real node with the OpenTelemetry SDK: by default the
 * health probes start no server span (and send no {@code traceresponse}) while every other route
 * keeps its span and the probes stay in the request metrics; set to true, probes are traced too.
 */
class HealthProbeTracingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void byDefaultProbesStartNoSpanButOtherRoutesDoAndProbesAreStillTimed() throws Exception {
        try (ObservedNode node = nodeWith(null)) {
            HttpResponse<String> live = node.get(node.publicUri("/health/live"), "traceparent", TRACEPARENT);
            HttpResponse<String> ready = node.get(node.adminUri("/health/ready"));
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(live.headers().firstValue("traceresponse")).isEmpty();
            assertThat(ready.headers().firstValue("traceresponse")).isEmpty();
            assertThat(live.headers().firstValue("X-Request-ID")).as("the rest of the chain still runs").isPresent();

            HttpResponse<String> item = node.get(node.publicUri("/items/1"));
            assertThat(item.headers().firstValue("traceresponse")).isPresent();
            awaitSpan(node, "GET /items/{id}");
            // Finished after the probes' responses, so a probe span would have been exported by now.
            assertThat(node.spans()).extracting(SpanData::getName)
                    .doesNotContain("GET /health/live", "GET /health/ready");

            String scrape = node.scrape(null).body();
            assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/health/live\"[^}]*} 1(\\.0)?\\s");
            assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/health/ready\"[^}]*} 1(\\.0)?\\s");
        }
    }

    @Test
    void whenEnabledProbesAreTracedLikeAnyRoute() throws Exception {
        try (ObservedNode node = nodeWith("true")) {
            HttpResponse<String> live = node.get(node.publicUri("/health/live"), "traceparent", TRACEPARENT);
            assertThat(live.headers().firstValue("traceresponse")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
            SpanData span = awaitSpan(node, "GET /health/live");
            assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/health/live");

            assertThat(node.get(node.adminUri("/health/ready")).headers().firstValue("traceresponse")).isPresent();
            awaitSpan(node, "GET /health/ready");
        }
    }

    private static ObservedNode nodeWith(String healthProbeSpans) throws Exception {
        ObservedNode.Builder builder = ObservedNode.builder()
                .routes(router -> router.get("/items/{id}", exchange -> {
                    exchange.status(200);
                    exchange.send("text/plain; charset=utf-8", "item " + exchange.pathParameters().get("id"));
                }));
        if (healthProbeSpans != null) {
            builder.flag("tracing.health-probe-spans", healthProbeSpans);
        }
        return builder.start();
    }

    private static SpanData awaitSpan(ObservedNode node, String name) {
        await().atMost(WAIT).until(() -> find(node, name).isPresent());
        return find(node, name).orElseThrow();
    }

    private static Optional<SpanData> find(ObservedNode node, String name) {
        return node.spans().stream().filter(s -> s.getName().equals(name)).findFirst();
    }
}
