package io.signaling.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.encoder.JsonEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signaling.ports.log.Logger;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.Tracer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through a real encoder: what the adapter hands SLF4J comes out of Logback's own
 * {@link JsonEncoder} as one JSON line that a JSON parser reads back, pairs and trace ids included.
 */
class Slf4jJsonLineTest {

    private final LogbackCapture logback = new LogbackCapture();
    private final OtelSdk otel = new OtelSdk();
    private final JsonEncoder encoder = new JsonEncoder();

    @AfterEach
    void close() {
        encoder.stop();
        logback.close();
        otel.close();
    }

    @Test
    void pairsAndTraceIdsSurviveIntoAParsableJsonLine() throws Exception {
        encoder.setContext(logback.context);
        encoder.start();
        Logger log = Observability.slf4jLoggerFactory(logback.context).logger("json").with("room", "r-1");
        Tracer tracer = Observability.otelTracer(otel.sdk);
        Span span = tracer.spanBuilder("join").start();
        try (Scope scope = span.makeCurrent()) {
            log.warn("peer \"joined\"", new IllegalStateException("boom"), "peer_id", "p-7", "attempt", 2);
            scope.close();
        }
        span.end();

        String line = new String(encoder.encode(logback.events().get(0)), StandardCharsets.UTF_8);
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("loggerName").asText()).isEqualTo("json");
        assertThat(json.get("message").asText()).isEqualTo("peer \"joined\"");
        assertThat(json.get("mdc").get("trace_id").asText()).isEqualTo(span.context().traceId());
        assertThat(json.get("mdc").get("span_id").asText()).isEqualTo(span.context().spanId());
        assertThat(json.get("kvpList").toString())
                .contains("\"room\":\"r-1\"").contains("\"peer_id\":\"p-7\"").contains("\"attempt\":\"2\"");
        assertThat(json.get("throwable").get("message").asText()).isEqualTo("boom");
    }
}
