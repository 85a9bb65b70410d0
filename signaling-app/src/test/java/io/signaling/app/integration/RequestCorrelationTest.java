package io.signaling.app.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One request followed end to end: the trace context it brought, the server span it produced,
 * the headers it got back and the access log line, tied together by request id and trace id;
 * and the same for a handler that fails and for a WebSocket upgrade.
 */
class RequestCorrelationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String SECRET = "db-password=hunter2 at 10.1.2.3";

    private ObservedNode node;

    @BeforeEach
    void startNode() throws Exception {
        node = ObservedNode.builder()
                .routes(router -> router
                        .get("/items/{id}", exchange -> {
                            exchange.status(200);
                            exchange.send("text/plain; charset=utf-8", "item " + exchange.pathParameters().get("id"));
                        })
                        .get("/boom", exchange -> {
                            throw new IllegalStateException("handler failed: " + SECRET);
                        }))
                .start();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void incomingTraceparentIsFollowedThroughSpanResponseAndAccessLog() throws Exception {
        HttpResponse<String> response = node.get(node.publicUri("/items/42"),
                "traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01",
                "User-Agent", "it-client/1.0");
        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();

        SpanData span = awaitSpan("GET /items/{id}");
        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(span.getParentSpanContext().isRemote()).isTrue();
        assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/items/{id}");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/items/42");
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("user_agent.original"))).isEqualTo("it-client/1.0");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("client.address"))).isEqualTo("127.0.0.1");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        assertThat(response.headers().firstValue("traceresponse"))
                .hasValue("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");

        JsonNode access = awaitAccessLine("/items/{id}", requestId);
        assertThat(access.path("level").asText()).isEqualTo("INFO");
        assertThat(access.path("message").asText()).isEqualTo("request");
        assertThat(access.path("method").asText()).isEqualTo("GET");
        assertThat(access.path("path").asText()).isEqualTo("/items/42");
        assertThat(access.path("status").asInt()).isEqualTo(200);
        assertThat(access.path("bytes").asLong()).isEqualTo("item 42".length());
        assertThat(access.path("duration_ms").isNumber()).isTrue();
        assertThat(access.path("trace_id").asText()).isEqualTo(TRACE_ID);
        assertThat(access.path("span_id").asText()).as("the server span was current while logging")
                .isEqualTo(span.getSpanId());
        assertThat(access.path("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    }

    @Test
    void aRequestWithoutTraceparentStartsANewTrace() throws Exception {
        HttpResponse<String> response = node.get(node.publicUri("/items/1"));

        SpanData span = awaitSpan("GET /items/{id}");
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(response.headers().firstValue("traceresponse"))
                .hasValue("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
        String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
        assertThat(awaitAccessLine("/items/{id}", requestId).path("trace_id").asText()).isEqualTo(span.getTraceId());
    }

    @Test
    void failingHandlerIsAProblemAnErrorSpanACountedErrorAndTheServerKeepsServing() throws Exception {
        double errorsBefore = MetricsScrapeTest.counterValue(node.scrape(null).body(), "http_server_errors_total",
                "exception=\"IllegalStateException\"");

        HttpResponse<String> response = node.get(node.publicUri("/boom"), "X-Request-ID", "boom-1",
                "traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("boom-1");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("about:blank");
        assertThat(problem.path("title").asText()).isEqualTo("Internal Server Error");
        assertThat(problem.path("status").asInt()).isEqualTo(500);
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("instance").asText()).isEqualTo("/boom");
        assertThat(problem.path("requestId").asText()).isEqualTo("boom-1");
        assertThat(response.body()).as("no internals reach the client")
                .doesNotContain("hunter2", "IllegalStateException", "10.1.2.3", "at io.signaling");

        SpanData span = awaitSpan("GET /boom");
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(500L);
        List<EventData> exceptions = span.getEvents().stream()
                .filter(event -> event.getName().equals("exception"))
                .toList();
        assertThat(exceptions).isNotEmpty();
        assertThat(exceptions.get(0).getAttributes().get(AttributeKey.stringKey("exception.type")))
                .isEqualTo(IllegalStateException.class.getName());

        double errorsAfter = MetricsScrapeTest.counterValue(node.scrape(null).body(), "http_server_errors_total",
                "exception=\"IllegalStateException\"");
        assertThat(errorsAfter).isEqualTo(errorsBefore + 1);
        assertThat(MetricsScrapeTest.samples(node.scrape(null).body(), "http_server_requests_seconds_count",
                "uri=\"/boom\"", "status=\"500\"", "outcome=\"SERVER_ERROR\"", "exception=\"IllegalStateException\""))
                .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1));

        // The stack goes to the log, with the request id, where operators can find it.
        await().atMost(WAIT).untilAsserted(() -> assertThat(node.logLines())
                .anySatisfy(line -> {
                    assertThat(line.path("level").asText()).isEqualTo("ERROR");
                    assertThat(line.path("request_id").asText()).isEqualTo("boom-1");
                    assertThat(line.path("stack_trace").asText()).contains("IllegalStateException", "hunter2");
                }));
        assertThat(awaitAccessLine("/boom", "boom-1").path("status").asInt()).isEqualTo(500);

        HttpResponse<String> next = node.get(node.publicUri("/items/9"));
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("item 9");
    }

    @Test
    void webSocketUpgradeGoesThroughTheMiddleware() throws Exception {
        RecordingListener listener = new RecordingListener();
        URI ws = URI.create("ws://127.0.0.1:" + node.publicAddress().getPort() + "/ws");
        WebSocket socket = node.http().newWebSocketBuilder()
                .connectTimeout(WAIT)
                .header("X-Request-ID", "ws-upgrade-1")
                .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01")
                .buildAsync(ws, listener)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            // The server greets every new peer; its arrival proves the upgrade completed.
            String welcome = listener.firstText.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(JSON.readTree(welcome).path("type").asText()).isEqualTo("welcome");

            SpanData span = awaitSpan("GET /ws");
            assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/ws");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("request.id"))).isEqualTo("ws-upgrade-1");
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
            assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(101L);

            await().atMost(WAIT).untilAsserted(() -> assertThat(node.accessLines())
                    .anySatisfy(line -> {
                        assertThat(line.path("route").asText()).isEqualTo("/ws");
                        assertThat(line.path("request_id").asText()).isEqualTo("ws-upgrade-1");
                        assertThat(line.path("trace_id").asText()).isEqualTo(TRACE_ID);
                        assertThat(line.path("span_id").asText()).isEqualTo(span.getSpanId());
                        assertThat(line.path("status").asInt()).isEqualTo(101);
                    }));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private SpanData awaitSpan(String name) {
        await().atMost(WAIT).until(() -> findSpan(name).isPresent());
        return findSpan(name).orElseThrow();
    }

    private Optional<SpanData> findSpan(String name) {
        return node.spans().stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    private JsonNode awaitAccessLine(String route, String requestId) {
        await().atMost(WAIT).until(() -> findAccessLine(route, requestId).isPresent());
        return findAccessLine(route, requestId).orElseThrow();
    }

    private Optional<JsonNode> findAccessLine(String route, String requestId) {
        return node.accessLines().stream()
                .filter(line -> route.equals(line.path("route").asText()))
                .filter(line -> requestId.equals(line.path("request_id").asText()))
                .findFirst();
    }

    /** Keeps the first text message; requests one message at a time as the JDK client expects. */
    private static final class RecordingListener implements WebSocket.Listener {
        final CompletableFuture<String> firstText = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                firstText.complete(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            firstText.completeExceptionally(error);
        }
    }
}
