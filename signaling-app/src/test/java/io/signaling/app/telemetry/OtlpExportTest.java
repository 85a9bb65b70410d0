package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real OTLP http/protobuf exporter, over the JDK HttpClient, against a local collector stand-in. */
class OtlpExportTest {

    /** One request as the collector saw it. */
    private record Received(String method, String path, String contentType, Map<String, String> headers, byte[] body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private HttpServer collector;
    private OtelSdkSetup setup;

    @BeforeEach
    void startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        Map.of("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                                "x-tenant", String.valueOf(exchange.getRequestHeaders().getFirst("X-Tenant"))),
                        body));
            }
            // An empty ExportTraceServiceResponse is zero protobuf bytes.
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stop() {
        if (setup != null) {
            setup.shutdown(Duration.ofSeconds(5));
        }
        collector.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + collector.getAddress().getPort();
    }

    private static TracingSettings otlp(Map<String, String> env) {
        return new TracingSettings(TracingSettings.Exporter.OTLP, 1.0, "signaling-otlp-test", "9.9.9", "node-x", env);
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1)
                .contains(new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    @Test
    void exportsSpansAsProtobufToTheGeneralEndpointWithHeaders() throws Exception {
        assertThat(io.opentelemetry.api.GlobalOpenTelemetry.isSet()).isFalse();
        setup = OtelSdkSetup.create(otlp(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", baseUrl(),
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20s3cr%3Dt,x-tenant=blue",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "5000")));
        setup.openTelemetry().getTracer("test").spanBuilder("GET /rooms/{id}").startSpan().end();

        assertThat(setup.shutdown(Duration.ofSeconds(10))).as("flushed within the deadline").isTrue();

        Received request = received.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("the collector received an export").isNotNull();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/traces");
        assertThat(request.contentType()).isEqualTo("application/x-protobuf");
        assertThat(request.headers()).containsEntry("authorization", "Bearer s3cr=t").containsEntry("x-tenant", "blue");
        assertThat(contains(request.body(), "GET /rooms/{id}")).as("span name in payload").isTrue();
        assertThat(contains(request.body(), "signaling-otlp-test")).as("service.name in payload").isTrue();
        assertThat(contains(request.body(), "node-x")).as("service.instance.id in payload").isTrue();
        assertThat(io.opentelemetry.api.GlobalOpenTelemetry.isSet()).as("no global registered or touched").isFalse();
    }

    @Test
    void tracesSpecificEndpointIsUsedAsIs() throws Exception {
        setup = OtelSdkSetup.create(otlp(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", baseUrl() + "/custom/traces")));
        setup.openTelemetry().getTracer("test").spanBuilder("custom").startSpan().end();

        assertThat(setup.forceFlush(Duration.ofSeconds(10))).isTrue();

        Received request = received.poll(10, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.path()).isEqualTo("/custom/traces");
        assertThat(contains(request.body(), "custom")).isTrue();
    }

    @Test
    void anUnreachableCollectorCostsAtMostTheDeadlineAndNeverThrows() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        setup = OtelSdkSetup.create(otlp(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort,
                "OTEL_EXPORTER_OTLP_TIMEOUT", "500")));
        setup.openTelemetry().getTracer("test").spanBuilder("lost").startSpan().end();

        long start = System.nanoTime();
        assertThatCode(() -> setup.shutdown(Duration.ofSeconds(1))).doesNotThrowAnyException();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // A failed export is reported by ReportingSpanExporter; shutdown only bounds the wait.
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(received).isEmpty();
    }

    @Test
    void theJdkSenderIsUsedAndOkHttpIsNotOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("okhttp3.OkHttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatCode(() -> Class.forName("io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSender"))
                .doesNotThrowAnyException();
    }

    @Test
    void environmentIsParsedWithPrecedenceAndDefaults() {
        OtlpEnvironment defaults = OtlpEnvironment.from(Map.of());
        assertThat(defaults.endpoint()).isEqualTo("http://localhost:4318/v1/traces");
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.compression()).isEqualTo("none");
        assertThat(defaults.headers()).isEmpty();

        OtlpEnvironment env = OtlpEnvironment.from(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318/base/",
                "OTEL_EXPORTER_OTLP_HEADERS", "a=1, b = x+y ,",
                "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "b=2",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "3000",
                "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "1500",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "GZIP",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
        assertThat(env.endpoint()).isEqualTo("https://collector:4318/base/v1/traces");
        assertThat(env.headers()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(env.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(env.compression()).isEqualTo("gzip");
        assertThat(OtlpEnvironment.from(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "k=x+y")).headers())
                .containsEntry("k", "x+y");
    }

    @Test
    void malformedEnvironmentIsRejectedNamingTheVariable() {
        assertThatThrownBy(() -> OtlpEnvironment.from(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL").hasMessageContaining("'grpc'");
        assertThatThrownBy(() -> OtlpEnvironment.from(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT").hasMessageContaining("'collector:4318'");
        assertThatThrownBy(() -> OtlpEnvironment.from(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://[bad")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        assertThatThrownBy(() -> OtlpEnvironment.from(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "10s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_TIMEOUT").hasMessageContaining("'10s'");
        assertThatThrownBy(() -> OtlpEnvironment.from(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "a=1,novalue")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS").hasMessageContaining("'novalue'");
        assertThatThrownBy(() -> OtlpEnvironment.from(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "a=%zz")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> OtlpEnvironment.from(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'zstd'");
    }
}
