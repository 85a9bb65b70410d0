package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fault 4 of docs/reliability.md: a flood of upgrades past {@code websocket.max-connections}, and
 * the per-client-address limit ({@code websocket.max-connections-per-ip}, with
 * {@code websocket.trusted-proxies} for {@code X-Forwarded-For}).
 */
class ConnectionFloodTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SignalingClient> clients = new ArrayList<>();
    private SignalingTestNode node;

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::close);
        if (node != null) {
            node.close();
        }
    }

    private SignalingClient open() throws Exception {
        SignalingClient client = SignalingClient.connect(http, node.wsUri());
        clients.add(client);
        return client;
    }

    /** The refused upgrade's response, or null when the upgrade succeeded (that socket is closed again). */
    private HttpResponse<?> refusal(String forwardedFor) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(WAIT);
        if (forwardedFor != null) {
            builder.header("X-Forwarded-For", forwardedFor);
        }
        CompletableFuture<WebSocket> upgrade = builder.buildAsync(node.wsUri(), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                ws.request(1);
                return null;
            }
        });
        try {
            WebSocket ws = upgrade.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ws.abort();
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof WebSocketHandshakeException refused) {
                return refused.getResponse();
            }
            throw e;
        }
    }

    private SignalingClient openAs(String forwardedFor) throws Exception {
        SignalingClient client = SignalingClient.connectAsync(
                http.newWebSocketBuilder().header("X-Forwarded-For", forwardedFor), node.wsUri())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        clients.add(client);
        client.readWelcome();
        return client;
    }

    @Test
    void upgradesPastMaxConnectionsGet503WithRetryAfterAndExistingSessionsCarryOn() throws Exception {
        node = SignalingTestNode.start("websocket.max-connections=6");
        SignalingClient a = open();
        SignalingClient b = open();
        a.join("flood");
        b.join("flood");
        a.next("peer-joined");
        for (int i = 0; i < 4; i++) {
            open();
        }

        List<CompletableFuture<HttpResponse<?>>> flood = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            flood.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return refusal(null);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
        for (CompletableFuture<HttpResponse<?>> attempt : flood) {
            HttpResponse<?> response = attempt.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            assertThat(response).as("an upgrade past the limit was accepted").isNotNull();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        }

        // Every session opened before the flood is intact and still relays, in order.
        for (int i = 0; i < 20; i++) {
            a.relay("offer", b.peerId(), "{\"n\":" + i + "}");
        }
        for (int i = 0; i < 20; i++) {
            assertThat(b.next("offer").get("payload").get("n").asInt()).isEqualTo(i);
        }
        for (SignalingClient client : clients) {
            assertThat(client.closed()).isNotDone();
            client.request("{\"type\":\"ping\",\"id\":\"after-flood\"}");
        }
    }

    @Test
    void oneAddressGetsAtMostItsLimitAndAClosedSocketGivesItsSlotBack() throws Exception {
        node = SignalingTestNode.start("websocket.max-connections-per-ip=3");
        SignalingClient first = open();
        open();
        open();

        HttpResponse<?> refused = refusal(null);
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        // Without a trusted proxy the header is the client's word and counts for nothing.
        assertThat(refusal("203.0.113.9")).isNotNull();

        first.closeNormally();
        await().atMost(WAIT).until(() -> refusal(null) == null);
        // The slot taken by that probe is back too, once its socket closed.
        await().atMost(WAIT).until(() -> refusal(null) == null);
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnLimit() throws Exception {
        node = SignalingTestNode.start("websocket.max-connections-per-ip=2", "websocket.trusted-proxies=127.0.0.1");
        SignalingClient a1 = openAs("203.0.113.1");
        openAs("198.51.100.7, 203.0.113.1");
        assertThat(refusal("203.0.113.1")).isNotNull().extracting(HttpResponse::statusCode).isEqualTo(429);
        // A spoofed left-most hop does not help: the proxy appended the real client last.
        assertThat(refusal("192.0.2.66, 203.0.113.1")).isNotNull().extracting(HttpResponse::statusCode).isEqualTo(429);

        SignalingClient b1 = openAs("203.0.113.2");
        a1.join("behind-proxy");
        b1.join("behind-proxy");
        a1.relay("offer", b1.peerId(), "{}");
        assertThat(b1.next("offer").get("from").asText()).isEqualTo(a1.peerId());
    }
}
