package io.signaling.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.app.cli.Cli;
import io.signaling.app.cli.Invocation;
import io.signaling.app.config.SignalingConfig;
import io.signaling.ports.testing.RecordingLogger;
import io.signaling.ports.testing.RecordingMetrics;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic of {@code warmup} against a real node in this JVM, configured as the CLI configures
 * it for {@code warmup}: the node must have seen every hot path once, and after the shutdown that
 * follows no listener or socket may be left.
 */
class WarmupTest {

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final RecordingLogger log = new RecordingLogger();
    private final List<SignalingNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(SignalingNode::shutdown);
    }

    private static SignalingConfig warmupConfig(String... args) {
        List<String> all = new ArrayList<>(List.of("warmup", "--profile", "prod"));
        all.addAll(List.of(args));
        Invocation inv = Cli.parse(all.toArray(String[]::new), Map.of());
        assertThat(inv.problems()).isEmpty();
        return inv.config().orElseThrow();
    }

    private SignalingNode started(SignalingConfig config) throws Exception {
        SignalingNode node = SignalingNode.builder(config)
                .metrics(metrics)
                .metricsScrape(exchange -> exchange.status(200).send("text/plain; version=0.0.4", "# scrape\n"))
                .build();
        nodes.add(node);
        node.start();
        return node;
    }

    @Test
    void everyHotPathIsExercisedOnceAndNothingIsLeftOpenAfterTheShutdown() throws Exception {
        SignalingConfig config = warmupConfig();
        SignalingNode node = started(config);
        InetSocketAddress publicAddress = node.publicAddress();
        InetSocketAddress adminAddress = node.adminAddress().orElseThrow();

        List<String> steps = new Warmup(publicAddress, node.adminAddress(), config, log).run();

        assertThat(steps).contains("GET /health/live", "GET /health/ready", "GET / (demo page)",
                "GET unknown route (404)", "admin GET /health/live", "admin GET /health/ready", "admin GET /metrics",
                "websocket connect peer a", "websocket connect peer b", "relay offer b to a",
                "relay answer a to b", "relay candidate b to a", "leave peer a", "close peer b (in its room)");
        assertThat(log.eventsWithMessage("warmup step")).extracting(e -> e.get("step")).containsExactlyElementsOf(steps);

        // What the node itself counted: the routes of both listeners, including the 404 ...
        assertThat(metrics.timers("http.server.requests").keySet())
                .anySatisfy(tags -> assertThat(tags).containsEntry("uri", "NOT_FOUND").containsEntry("status", "404"))
                .anySatisfy(tags -> assertThat(tags).containsEntry("uri", "/metrics").containsEntry("status", "200"))
                .anySatisfy(tags -> assertThat(tags).containsEntry("uri", "/health/ready").containsEntry("status", "200"));
        // ... a whole session of two peers, through the origin check the prod profile demands ...
        assertThat(metrics.count("websocket.connections", "event", "opened", "reason", "none")).isEqualTo(2);
        assertThat(metrics.count("websocket.handshake.rejections", "reason", "origin")).isZero();
        for (String type : List.of("join", "offer", "answer", "candidate", "ping", "leave")) {
            assertThat(metrics.count("signaling.messages", "type", type, "outcome", "ok")).as(type).isPositive();
        }
        assertThat(metrics.counters("signaling.errors").keySet()).anySatisfy(tags ->
                assertThat(tags).containsEntry("code", "unknown-type"));
        // ... and both sockets closed before the run returned, so the drain has nothing to wait for.
        assertThat(metrics.gaugeValue("websocket.connections.active")).contains(0.0);
        assertThat(metrics.counters("websocket.connections").entrySet().stream()
                .filter(e -> "closed".equals(e.getKey().get("event"))).mapToDouble(e -> e.getValue().count()).sum())
                .isEqualTo(2);

        assertThat(node.shutdown()).as("clean shutdown").isTrue();
        assertRefused(publicAddress);
        assertRefused(adminAddress);
    }

    @Test
    void theAdminStepsFollowTheConfiguration() throws Exception {
        SignalingConfig noMetrics = warmupConfig("--metrics.enabled=false");
        SignalingNode node = started(noMetrics);
        assertThat(new Warmup(node.publicAddress(), node.adminAddress(), noMetrics, log).run())
                .contains("admin GET /health/ready").doesNotContain("admin GET /metrics");

        SignalingConfig noAdmin = warmupConfig("--admin.enabled=false");
        SignalingNode publicOnly = started(noAdmin);
        assertThat(new Warmup(publicOnly.publicAddress(), publicOnly.adminAddress(), noAdmin, log).run())
                .contains("GET /health/ready", "close peer b (in its room)")
                .noneMatch(step -> step.startsWith("admin"));
    }

    @Test
    void aRouteThatDoesNotAnswerAsExpectedFailsTheRunNamingThatStep() throws Exception {
        SignalingConfig config = warmupConfig();
        SignalingNode node = SignalingNode.builder(config)
                .metricsScrape(exchange -> exchange.status(503).send("text/plain", "registry closed"))
                .build();
        nodes.add(node);
        node.start();

        assertThatThrownBy(() -> new Warmup(node.publicAddress(), node.adminAddress(), config, log).run())
                .isInstanceOfSatisfying(Warmup.StepFailure.class, e ->
                        assertThat(e.step()).isEqualTo("admin GET /metrics"))
                .hasMessageStartingWith("admin GET /metrics: GET http://127.0.0.1:")
                .hasMessageEndingWith("/metrics answered 503, expected 200");
        assertThat(log.eventsWithMessage("warmup step")).extracting(e -> e.get("step"))
                .doesNotContain("admin GET /metrics", "websocket connect peer a");
    }

    @Test
    void aSocketTheNodeClosesFailsItsStepAtOnceAndIsReleased() throws Exception {
        // One connection allowed: the second peer is refused, with 503 before the handshake or,
        // when the two upgrades race, closed with 1013 right after it; either way the run must
        // fail on that peer without waiting out the step timeout.
        SignalingConfig config = warmupConfig("--websocket.max-connections=1");
        SignalingNode node = started(config);

        assertThatThrownBy(() -> new Warmup(node.publicAddress(), node.adminAddress(), config, log).run())
                .isInstanceOfSatisfying(Warmup.StepFailure.class, e -> assertThat(e.step())
                        .isIn("websocket connect peer b", "welcome peer a", "welcome peer b"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("no answer within")
                        .containsAnyOf("503", "closed the socket with 1013"));
        // The peer that did connect was released by the failed run, so the drain is not held up.
        assertThat(node.shutdown()).isTrue();
        assertThat(metrics.gaugeValue("websocket.connections.active")).contains(0.0);
    }

    private static void assertRefused(InetSocketAddress address) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, 2_000);
            }
        }).as("a connection to %s after the shutdown", address).isInstanceOf(ConnectException.class);
    }
}
