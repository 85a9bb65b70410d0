package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fault 6 of docs/reliability.md: N sockets send invalid JSON, unknown types, oversized and
 * binary frames, and floods over the rate limit, while N others relay in pairs. The good clients
 * see every relay in order and no error; each bad one gets exactly the documented answer.
 */
class HostileFramesAtVolumeTest {

    /** 100 each in the build; -Dfaults.sockets=200 for the full 200 + 200 (docs/reliability.md). */
    private static final int HOSTILE = Integer.getInteger("faults.sockets", 100);
    private static final int GOOD = HOSTILE;
    private static final int RELAYS = 40;
    private static final int FLOOD = 300;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SignalingClient> clients = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private SignalingTestNode node;

    @AfterEach
    void stop() {
        pool.shutdownNow();
        clients.forEach(SignalingClient::close);
        if (node != null) {
            node.close();
        }
    }

    /** Opens sockets 20 handshakes at a time: a burst of hundreds can outlast a loaded CI machine's connect timeout. */
    private List<SignalingClient> connect(int count) throws Exception {
        List<SignalingClient> out = new ArrayList<>();
        for (int batch = 0; batch < count; batch += 20) {
            List<CompletableFuture<SignalingClient>> pending = new ArrayList<>();
            for (int i = batch; i < Math.min(count, batch + 20); i++) {
                pending.add(SignalingClient.connectAsync(http, node.wsUri()));
            }
            for (CompletableFuture<SignalingClient> f : pending) {
                SignalingClient client = f.get(SignalingClient.WAIT.toSeconds() * 3, TimeUnit.SECONDS);
                clients.add(client);
                client.readWelcome();
                out.add(client);
            }
        }
        return out;
    }

    @Test
    void badClientsGetTheDocumentedAnswersWhileGoodOnesLoseNothing() throws Exception {
        node = SignalingTestNode.start();
        List<SignalingClient> good = connect(GOOD);
        List<SignalingClient> bad = connect(HOSTILE);
        for (int i = 0; i < GOOD; i += 2) {
            good.get(i).join("good-" + i);
            good.get(i + 1).join("good-" + i);
            good.get(i).next("peer-joined");
        }

        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            SignalingClient from = good.get(i);
            SignalingClient to = good.get(i ^ 1);
            work.add(pool.submit(() -> {
                for (int n = 0; n < RELAYS; n++) {
                    from.relay("offer", to.peerId(), "{\"n\":" + n + "}");
                }
                return null;
            }));
        }
        for (int i = 0; i < HOSTILE; i++) {
            SignalingClient client = bad.get(i);
            int kind = i % 5;
            work.add(pool.submit(() -> {
                switch (kind) {
                    case 0 -> {
                        for (int n = 0; n < 5; n++) {
                            client.send("{\"type\":\"offer\",\"id\":\"j" + n + "\",\"to\":");
                        }
                    }
                    case 1 -> client.send("{\"type\":\"shout\",\"id\":\"u\"}");
                    case 2 -> client.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
                    case 3 -> client.sendBinary(new byte[] {1, 2, 3});
                    default -> {
                        for (int n = 0; n < FLOOD; n++) {
                            client.send("{\"type\":\"ping\",\"id\":\"f" + n + "\"}");
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(2, TimeUnit.MINUTES);
        }

        for (int i = 0; i < GOOD; i++) {
            SignalingClient client = good.get(i);
            for (int n = 0; n < RELAYS; n++) {
                if (client.closed().isDone()) {
                    throw new AssertionError("good client " + i + " was closed: " + client.closed().get());
                }
                JsonNode relay = client.next();
                assertThat(relay.path("type").asText()).as("good client %d got %s", i, relay).isEqualTo("offer");
                assertThat(relay.path("payload").path("n").asInt()).isEqualTo(n);
            }
            client.assertNothingPending();
        }

        for (int i = 0; i < HOSTILE; i++) {
            SignalingClient client = bad.get(i);
            switch (i % 5) {
                case 0 -> {
                    for (int n = 0; n < 5; n++) {
                        JsonNode error = client.next("error");
                        assertThat(error.path("code").asText()).isEqualTo("bad-message");
                    }
                    client.assertNothingPending();
                }
                case 1 -> {
                    JsonNode error = client.next("error");
                    assertThat(error.path("code").asText()).isEqualTo("unknown-type");
                    assertThat(error.path("id").asText()).isEqualTo("u");
                    client.assertNothingPending();
                }
                case 2 -> assertThat(client.awaitClosed().code()).isEqualTo(1009);
                case 3 -> assertThat(client.awaitClosed().code()).isEqualTo(1003);
                default -> {
                    int pongs = 0;
                    int limited = 0;
                    // Every frame the flood caused arrives before the barrier's pong.
                    for (JsonNode frame : client.framesBeforeBarrierAllowingRateLimit()) {
                        if (frame.path("type").asText().equals("pong")) {
                            pongs++;
                        } else {
                            assertThat(frame.path("code").asText()).as("flood answer %s", frame).isEqualTo("rate-limited");
                            assertThat(frame.path("retryAfterMs").asLong()).isPositive();
                            limited++;
                        }
                    }
                    assertThat(pongs).as("pings answered before the bucket ran dry").isBetween(100, FLOOD - 1);
                    assertThat(limited).as("at most one rate-limited error per second").isBetween(1, 30);
                    assertThat(client.closed()).isNotDone();
                }
            }
        }
    }
}
