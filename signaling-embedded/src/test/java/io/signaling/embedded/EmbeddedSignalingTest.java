package io.signaling.embedded;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.signaling.ports.websocket.TestWebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLClassLoader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A host with its own Undertow, its own SLF4J backend (a private Logback context), its own
 * Micrometer registry and its own OpenTelemetry SDK embeds signaling: its routes keep working,
 * signaling works over a real WebSocket, its registry and SDK receive signaling's telemetry, and
 * its shutdown drains the sockets with 1001.
 */
class EmbeddedSignalingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final LoggerContext logback = new LoggerContext();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;
    private ExampleHost host;

    @BeforeEach
    void startHost() throws Exception {
        logback.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        logs.setContext(logback);
        logs.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        host = new ExampleHost("127.0.0.1", 0, logback, registry, sdk);
    }

    @AfterEach
    void stopHost() {
        if (host != null) {
            host.close();
        }
        sdk.close();
        logback.stop();
    }

    @Test
    void theHostsOwnRoutesKeepWorkingBesideSignaling() throws Exception {
        assertThat(get("/hello").body()).isEqualTo("hello from the host");
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready");
        // Not ours and not the host's: the host's own 404, not a signaling problem body.
        HttpResponse<String> missing = get("/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).isEmpty();
    }

    @Test
    void signalingWorksAndItsTelemetryLandsInTheHostsBackends() throws Exception {
        try (TestWebSocketClient alice = connect(); TestWebSocketClient bob = connect()) {
            String alicePeer = welcome(alice);
            String bobPeer = welcome(bob);
            alice.send("{\"type\":\"join\",\"room\":\"embedded\",\"id\":\"1\"}");
            await().atMost(WAIT).until(() -> alice.messages().size() == 2);
            bob.send("{\"type\":\"join\",\"room\":\"embedded\"}");
            await().atMost(WAIT).until(() -> alice.messages().size() == 3 && bob.messages().size() == 2);
            assertThat(JSON.readTree(alice.messages().get(2)).get("peerId").asText()).isEqualTo(bobPeer);

            bob.send("{\"type\":\"offer\",\"to\":\"" + alicePeer + "\",\"payload\":{\"sdp\":\"v=0\"}}");
            await().atMost(WAIT).until(() -> alice.messages().size() == 4);
            JsonNode offer = JSON.readTree(alice.messages().get(3));
            assertThat(offer.get("from").asText()).isEqualTo(bobPeer);
            assertThat(offer.get("payload").get("sdp").asText()).isEqualTo("v=0");

            // The host's registry holds signaling's and the transport's meters.
            await().atMost(WAIT).until(() -> registry.find("signaling.messages").tag("type", "offer").counter() != null);
            assertThat(registry.get("signaling.messages").tag("type", "join").counter().count()).isEqualTo(2.0);
            Gauge active = registry.get("websocket.connections.active").gauge();
            assertThat(active.value()).isEqualTo(2.0);
            assertThat(registry.get("http.server.requests").tag("uri", "/signal").timer().count()).isEqualTo(2);

            // The host's SDK got the upgrade's server span and the signaling spans.
            await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream()
                    .anyMatch(s -> s.getName().equals("signaling.relay")));
            assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
                    .contains("GET /signal", "signaling.join", "signaling.relay");

            // The host's SLF4J backend got signaling's logs, with its structured pairs.
            assertThat(logs.list).anySatisfy(event -> {
                assertThat(event.getLoggerName()).startsWith("io.signaling");
                assertThat(event.getKeyValuePairs()).isNotNull();
            });
        }
    }

    @Test
    void stoppingTheHostDrainsTheSocketsWithGoawayAnd1001() throws Exception {
        TestWebSocketClient client = connect();
        welcome(client);
        client.send("{\"type\":\"join\",\"room\":\"drained\"}");
        await().atMost(WAIT).until(() -> client.messages().size() == 2);

        host.close();
        host = null;

        TestWebSocketClient.Closed closed = client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(client.messages()).last().satisfies(last ->
                assertThat(JSON.readTree(last).get("type").asText()).isEqualTo("goaway"));
    }

    @Test
    void readinessFollowsSignalingsLifecycle() {
        EmbeddedSignaling signaling = host.signaling();
        assertThat(signaling.isReady()).isTrue();
        assertThat(signaling.readinessCheck().name()).isEqualTo("signaling");
        signaling.stop(Duration.ofSeconds(2));
        assertThat(signaling.isReady()).isFalse();
    }

    @Test
    void withoutAWebSocketAdapterOnTheClasspathTheBuildSaysWhichModuleToAdd() {
        ClassLoader empty = new URLClassLoader(new URL[0], null);
        assertThatThrownBy(() -> EmbeddedSignaling.builder().classLoader(empty).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("signaling-adapters-undertow-jsr")
                .hasMessageContaining("signaling-adapters-undertow-native");
    }

    private TestWebSocketClient connect() throws Exception {
        return TestWebSocketClient.connect(http, URI.create("ws://127.0.0.1:" + host.address().getPort() + "/signal"));
    }

    private static String welcome(TestWebSocketClient client) throws Exception {
        await().atMost(WAIT).until(() -> !client.messages().isEmpty());
        JsonNode welcome = JSON.readTree(client.messages().get(0));
        assertThat(welcome.get("type").asText()).isEqualTo("welcome");
        return welcome.get("peerId").asText();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.address().getPort() + path))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
