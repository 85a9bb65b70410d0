package io.signaling.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signaling.app.SignalingNode;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import io.signaling.app.config.SignalingConfig;
import io.signaling.domain.health.CheckResult;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.lifecycle.Lifecycle;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The node is a thin layer over the embedding API: a check given to the node is part of the one
 * health service that both listeners answer from, and a component given to the node runs in the
 * one lifecycle, inside the listeners and after signaling.
 */
class NodeCompositionTest {

    @Test
    void checksAndComponentsGoIntoTheEmbeddedLifecycleAndHealth() throws Exception {
        SignalingConfig config = new ConfigLoader().load(ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("admin.port", "0")
                .withFlag("shutdown.readiness-delay", "0s")
                .withFlag("shutdown.drain-timeout", "2s")
                .withFlag("health.cache-ttl", "1ms"));
        AtomicBoolean databaseUp = new AtomicBoolean(false);
        List<String> events = new CopyOnWriteArrayList<>();
        SignalingNode node = SignalingNode.builder(config)
                .healthCheck(new HealthCheck() {
                    @Override
                    public String name() {
                        return "database";
                    }

                    @Override
                    public CheckResult check() {
                        return databaseUp.get() ? CheckResult.up("database") : CheckResult.down("database", "down");
                    }
                })
                .component(new Lifecycle() {
                    @Override
                    public void start() {
                        events.add("start");
                    }

                    @Override
                    public boolean stop(Duration timeout) {
                        events.add("stop");
                        return true;
                    }
                })
                .build();
        HttpClient http = HttpClient.newHttpClient();
        try {
            node.start();
            assertThat(events).containsExactly("start");

            for (InetSocketAddress address : List.of(node.publicAddress(), node.adminAddress().orElseThrow())) {
                HttpResponse<String> ready = get(http, address);
                assertThat(ready.statusCode()).as("ready on " + address).isEqualTo(503);
                assertThat(ready.body()).contains("\"database\"");
            }
            databaseUp.set(true);
            for (InetSocketAddress address : List.of(node.publicAddress(), node.adminAddress().orElseThrow())) {
                // Results are cached for health.cache-ttl (1ms here): poll until a fresh one, with a deadline.
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .untilAsserted(() -> assertThat(get(http, address).statusCode())
                                .as("ready on " + address).isEqualTo(200));
            }
        } finally {
            assertThat(node.shutdown()).isTrue();
        }
        assertThat(events).containsExactly("start", "stop");
    }

    private static HttpResponse<String> get(HttpClient http, InetSocketAddress address) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
