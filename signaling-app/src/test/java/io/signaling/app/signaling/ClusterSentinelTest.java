package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.signaling.ports.testing.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes behind Redis Sentinel ({@code redis.uri=redis-sentinel://…#signaling}): a real master,
 * a real replica of it and a real Sentinel ({@code redis-server <conf> --sentinel}), all child
 * processes on loopback. The master is killed (SIGKILL); Sentinel promotes the replica, the nodes
 * find the new master through Sentinel by themselves, and the cluster goes on relaying across
 * nodes, the room intact.
 */
class ClusterSentinelTest {

    private static final String MASTER = "signaling";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SignalingClient> clients = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        clients.forEach(SignalingClient::close);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private SignalingClient connect(SignalingTestNode node) throws Exception {
        SignalingClient client = SignalingClient.connect(http, node.wsUri());
        clients.add(client);
        return client;
    }

    private int status(SignalingTestNode node, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + node.node().publicAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Sends relays until one is delivered (those refused while Redis fails over answer unavailable). */
    private static void relayUntilDelivered(SignalingClient from, SignalingClient to, String marker) {
        int[] attempt = {0};
        await("a relay delivered through the new master").atMost(Duration.ofSeconds(60)).until(() -> {
            attempt[0]++;
            from.relay("offer", to.peerId(), "{\"marker\":\"" + marker + "\",\"attempt\":" + attempt[0] + "}");
            for (JsonNode f : from.framesBeforeBarrier()) {
                // Refusals, or late copies of the other direction's retried relays.
                if (!f.path("payload").path("marker").isTextual()) {
                    assertThat(f.path("code").asText()).as("%s", f).isEqualTo("unavailable");
                }
            }
            for (String raw : to.drainQueued()) {
                JsonNode f = SignalingClient.parse(raw);
                if (f.path("type").asText().equals("offer") && f.path("payload").path("marker").asText().equals(marker)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** The next frame of {@code type}, past late copies of the retried relays (each carries a marker). */
    private static JsonNode nextPastRetries(SignalingClient client, String type) {
        while (true) {
            JsonNode f = client.next();
            if (f.path("type").asText().equals(type)) {
                return f;
            }
            assertThat(f.path("payload").path("marker").isTextual()).as("a retried relay: %s", f).isTrue();
        }
    }

    @Test
    void aSentinelFailoverKeepsTheClusterRelaying() throws Exception {
        RedisServer master = closeLater(RedisServer.start());
        RedisServer replica = closeLater(RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port())));
        await("replica in sync").atMost(Duration.ofSeconds(30))
                .until(() -> replica.command("INFO", "replication").contains("master_link_status:up"));
        RedisServer sentinel = closeLater(RedisServer.startSentinel(MASTER, master.port(), 1));
        await("sentinel sees the replica").atMost(Duration.ofSeconds(30))
                .until(() -> sentinel.command("INFO", "sentinel").contains("slaves=1"));
        String uri = "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + MASTER;
        List<SignalingTestNode> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            nodes.add(closeLater(SignalingTestNode.start("redis.enabled=true", "redis.uri=" + uri,
                    "redis.node-ttl=15s", "redis.command-timeout=1s", "health.cache-ttl=100ms",
                    "rate-limit.messages-per-second=10000", "rate-limit.burst=10000")));
        }
        SignalingClient a = connect(nodes.get(0));
        SignalingClient b = connect(nodes.get(1));
        a.join("failover");
        b.join("failover");
        a.next("peer-joined");
        a.relay("offer", b.peerId(), "{\"before\":1}");
        assertThat(b.next("offer").path("payload").path("before").asInt()).isEqualTo(1);
        assertThat(master.command("HLEN", "{signaling:room:failover}:members")).isEqualTo(":2");

        master.kill();
        // Promoting it, Sentinel kills the replica's normal clients (CLIENT KILL TYPE normal), so a
        // poll that is connected at that moment reads "connection closed": the next poll asks again.
        await("sentinel promoted the replica").atMost(Duration.ofSeconds(60))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> replica.command("INFO", "replication").contains("role:master"));
        relayUntilDelivered(a, b, "a-after");
        relayUntilDelivered(b, a, "b-after");
        await("readiness back on both nodes").atMost(Duration.ofSeconds(60))
                .until(() -> status(nodes.get(0), "/health/ready") == 200 && status(nodes.get(1), "/health/ready") == 200);

        // The room survived on the new master: a newcomer on either node sees both members.
        assertThat(replica.command("HLEN", "{signaling:room:failover}:members")).isEqualTo(":2");
        SignalingClient c = connect(nodes.get(1));
        assertThat(c.join("failover").path("peers")).hasSize(2);
        nextPastRetries(a, "peer-joined");
        nextPastRetries(b, "peer-joined");
        // Relays in order across nodes through the new master.
        for (int i = 0; i < 50; i++) {
            a.relay("offer", c.peerId(), "{\"i\":" + i + "}");
        }
        for (int i = 0; i < 50; i++) {
            assertThat(c.next("offer").path("payload").path("i").asInt()).isEqualTo(i);
        }
    }
}
