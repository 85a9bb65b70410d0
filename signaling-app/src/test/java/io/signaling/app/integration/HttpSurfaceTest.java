package io.signaling.app.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client or a probe sees of a running node over HTTP: health on both listeners, the
 * operator endpoints on the admin listener only, request ids, and the problem shape of the
 * router's own 404 and 405.
 */
class HttpSurfaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GENERATED_ID = "[0-9a-f]{32}";

    private ObservedNode node;

    @BeforeEach
    void startNode() throws Exception {
        node = ObservedNode.builder()
                .routes(router -> router.get("/items/{id}", exchange -> {
                    exchange.status(200);
                    exchange.send("text/plain; charset=utf-8", "item " + exchange.pathParameters().get("id"));
                }))
                .start();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private List<Function<String, URI>> bothListeners() {
        return List.of(node::publicUri, node::adminUri);
    }

    @Test
    void livenessAnswersUpWithTheExactBodyOnBothListeners() throws Exception {
        for (Function<String, URI> listener : bothListeners()) {
            HttpResponse<String> response = node.get(listener.apply("/health/live"));

            assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"UP\"}"));
        }
    }

    @Test
    void readinessAnswersTheMicroProfileShapeOnBothListeners() throws Exception {
        JsonNode expected = JSON.readTree(
                "{\"status\":\"UP\",\"checks\":[{\"name\":\"lifecycle\",\"status\":\"UP\",\"data\":{\"state\":\"READY\"}}]}");
        for (Function<String, URI> listener : bothListeners()) {
            HttpResponse<String> response = node.get(listener.apply("/health/ready"));

            assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
            assertThat(JSON.readTree(response.body())).isEqualTo(expected);
        }
    }

    @Test
    void headOnBothProbesAnswersTheHeadersWithoutABody() throws Exception {
        for (Function<String, URI> listener : bothListeners()) {
            for (String path : List.of("/health/live", "/health/ready")) {
                HttpRequest head = HttpRequest.newBuilder(listener.apply(path))
                        .timeout(ObservedNode.HTTP_TIMEOUT)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build();
                HttpResponse<byte[]> response = node.http().send(head, HttpResponse.BodyHandlers.ofByteArray());

                assertThat(response.statusCode()).as("HEAD " + response.uri()).isEqualTo(200);
                assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(response.body()).as("HEAD " + response.uri()).isEmpty();
            }
        }
    }

    @Test
    void headSendsNoBodyBytesOnTheWire() throws Exception {
        for (InetSocketAddress listener : List.of(node.publicAddress(), node.adminAddress())) {
            try (KeepAliveConnection connection = new KeepAliveConnection(listener)) {
                for (String path : List.of("/health/live", "/health/ready")) {
                    KeepAliveConnection.Response head = connection.request("HEAD", path);
                    assertThat(head.status()).as("HEAD " + path).isEqualTo(200);
                    assertThat(head.header("Cache-Control")).isEqualTo("no-store");

                    // Stray body bytes after the HEAD headers would be read as this status line.
                    KeepAliveConnection.Response get = connection.get(path);
                    assertThat(get.status()).as("GET " + path + " after HEAD").isEqualTo(200);
                    assertThat(get.body()).startsWith("{\"status\":\"UP\"");
                }
            }
        }
    }

    @Test
    void operatorEndpointsAreAbsentFromThePublicListener() throws Exception {
        for (String path : List.of("/debug/runtime", "/debug/threads", "/metrics")) {
            HttpResponse<String> response = node.get(node.publicUri(path));

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(node.get(node.adminUri("/metrics")).statusCode()).isEqualTo(200);
        assertThat(node.get(node.adminUri("/debug/threads")).body()).contains("Thread dump at");
    }

    @Test
    void debugRuntimeOnTheAdminListenerReportsWhatTheIssueLists() throws Exception {
        HttpResponse<String> response = node.get(node.adminUri("/debug/runtime"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode runtime = JSON.readTree(response.body());
        assertThat(runtime.path("uptimeMs").isIntegralNumber()).isTrue();
        assertThat(runtime.path("uptimeMs").asLong()).isPositive();
        assertThat(runtime.at("/jvm/version").asText()).isEqualTo(Runtime.version().toString());
        assertThat(runtime.at("/jvm/vendor").asText()).isEqualTo(System.getProperty("java.vm.vendor"));
        for (String area : List.of("heap", "nonHeap")) {
            assertThat(runtime.at("/memory/" + area + "/usedBytes").asLong()).as(area).isPositive();
            assertThat(runtime.at("/memory/" + area + "/committedBytes").isIntegralNumber()).as(area).isTrue();
        }
        assertThat(runtime.path("gc").isArray()).isTrue();
        assertThat(runtime.path("gc")).isNotEmpty().allSatisfy(gc -> {
            assertThat(gc.path("name").asText()).isNotBlank();
            assertThat(gc.path("count").isIntegralNumber()).isTrue();
            assertThat(gc.path("timeMs").isIntegralNumber()).isTrue();
        });
        assertThat(runtime.at("/threads/live").asInt()).isPositive();
        assertThat(runtime.at("/threads/daemon").isIntegralNumber()).isTrue();
        assertThat(runtime.at("/threads/peak").asInt()).isGreaterThanOrEqualTo(runtime.at("/threads/live").asInt());
        assertThat(runtime.path("availableProcessors").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(runtime.has("systemLoadAverage")).isTrue();
        assertThat(runtime.path("openFileDescriptors").asLong()).isPositive();
        assertThat(runtime.at("/build/version").asText()).isEqualTo(ObservedNode.BUILD.version());
        assertThat(runtime.at("/build/commit").asText()).isEqualTo(ObservedNode.BUILD.commit());
        assertThat(runtime.path("lifecycleState").asText()).isEqualTo("READY");
        // The request asking is itself in flight through the shared middleware.
        assertThat(runtime.path("activeRequests").asLong()).isEqualTo(1);
    }

    @Test
    void aWellFormedRequestIdIsEchoedAndAMalformedOneReplaced() throws Exception {
        String wellFormed = "req-42.Abc:def_9";
        HttpResponse<String> echoed = node.get(node.publicUri("/items/1"), "X-Request-ID", wellFormed);
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.headers().firstValue("X-Request-ID")).hasValue(wellFormed);

        String tooLong = "a".repeat(129);
        String maxLength = "b".repeat(128);
        for (String malformed : List.of(tooLong, "bad id", "id\"quote", "id;drop", "naïve")) {
            HttpResponse<String> response = node.get(node.publicUri("/items/1"), "X-Request-ID", malformed);

            assertThat(response.statusCode()).as(malformed).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Request-ID")).as(malformed)
                    .hasValueSatisfying(id -> assertThat(id).isNotEqualTo(malformed).matches(GENERATED_ID));
        }
        assertThat(node.get(node.publicUri("/items/1"), "X-Request-ID", maxLength).headers()
                .firstValue("X-Request-ID")).hasValue(maxLength);
    }

    @Test
    void aRequestWithoutAnIdGetsAFreshOneEachTime() throws Exception {
        String first = node.get(node.publicUri("/items/1")).headers().firstValue("X-Request-ID").orElseThrow();
        String second = node.get(node.publicUri("/items/1")).headers().firstValue("X-Request-ID").orElseThrow();

        assertThat(first).matches(GENERATED_ID);
        assertThat(second).matches(GENERATED_ID).isNotEqualTo(first);
    }

    @Test
    void accessLogSkipsProbesAndScrapesByDefault() throws Exception {
        assertThat(node.get(node.publicUri("/health/live")).statusCode()).isEqualTo(200);
        assertThat(node.get(node.adminUri("/health/ready")).statusCode()).isEqualTo(200);
        assertThat(node.get(node.adminUri("/metrics")).statusCode()).isEqualTo(200);
        assertThat(node.get(node.publicUri("/items/5"), "X-Request-ID", "after-probes").statusCode()).isEqualTo(200);

        // One queue writes every line in order: once the last request's line is out, so would be
        // the probes' lines, had they been logged.
        await().atMost(Duration.ofSeconds(10)).until(() -> node.accessLines().stream()
                .anyMatch(line -> "after-probes".equals(line.path("request_id").asText())));
        assertThat(node.accessLines()).extracting(line -> line.path("route").asText())
                .containsExactly("/items/{id}");
    }

    @Test
    void unknownPathIsA404Problem() throws Exception {
        HttpResponse<String> response = node.get(node.publicUri("/no/such/thing?x=1"), "X-Request-ID", "nf-1");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("about:blank");
        assertThat(problem.path("title").asText()).isEqualTo("Not Found");
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.path("instance").asText()).isEqualTo("/no/such/thing");
        assertThat(problem.path("requestId").asText()).isEqualTo("nf-1");
    }

    @Test
    void wrongMethodIsA405ProblemWithAllow() throws Exception {
        HttpResponse<String> response = node.send("DELETE", node.publicUri("/items/7"), "X-Request-ID", "na-1");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow ->
                assertThat(allow.split("\\s*,\\s*")).containsExactlyInAnyOrder("GET", "HEAD"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("about:blank");
        assertThat(problem.path("title").asText()).isEqualTo("Method Not Allowed");
        assertThat(problem.path("status").asInt()).isEqualTo(405);
        assertThat(problem.path("instance").asText()).isEqualTo("/items/7");
        assertThat(problem.path("requestId").asText()).isEqualTo("na-1");

        HttpResponse<String> onProbe = node.send("POST", node.adminUri("/health/ready"));
        assertThat(onProbe.statusCode()).isEqualTo(405);
        assertThat(onProbe.headers().firstValue("Allow")).hasValueSatisfying(allow ->
                assertThat(allow.split("\\s*,\\s*")).containsExactlyInAnyOrder("GET", "HEAD"));
    }
}
