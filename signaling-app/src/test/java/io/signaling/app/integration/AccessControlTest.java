package io.signaling.app.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.signaling.adapter.jwt.JwtVerifiers;
import io.signaling.application.ice.TurnCredentials;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.websocket.TestWebSocketClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 end to end on a real node (real Undertow, the launcher's Logback JSON chain, an
 * OpenTelemetry SDK, the Prometheus scrape): 401 before the upgrade, identities, forbidden joins,
 * ICE servers with TURN credentials, the v1.1 subprotocol and its refresh, and no token value in
 * any log line, span attribute or metric.
 */
class AccessControlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "integration-secret-of-at-least-32-bytes!";
    private static final String TURN_SECRET = "coturn-static-auth-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ObservedNode node;

    @BeforeAll
    static void start() throws Exception {
        node = ObservedNode.builder()
                .flag("auth.mode", "jwt")
                .flag("auth.jwt.keys", "[{kid: k1, alg: HS256, secret: \"" + SECRET + "\"}]")
                .flag("turn.urls", "stun:127.0.0.1:3478,turn:127.0.0.1:3478?transport=udp")
                .flag("turn.secrets", TURN_SECRET)
                .flag("turn.ttl", "2s")
                .start();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static String token(String sub, String room) {
        return JwtVerifiers.mintHmac("k1", "HS256", SECRET.getBytes(StandardCharsets.UTF_8), sub, RoomId.of(room),
                "signaling", Instant.now(), Duration.ofMinutes(10));
    }

    private static URI ws(String query) {
        return URI.create("ws://127.0.0.1:" + node.publicAddress().getPort() + "/ws" + query);
    }

    private static TestWebSocketClient connect(String token, boolean v11) throws Exception {
        return TestWebSocketClient.connectAsync(node.http(), ws("?access_token=" + URLEncoder.encode(token,
                StandardCharsets.UTF_8)), Map.of(), v11 ? List.of("signaling.v1.1") : List.of()).get(10, TimeUnit.SECONDS);
    }

    private static JsonNode next(TestWebSocketClient client, int index) throws Exception {
        await().atMost(WAIT).until(() -> client.messages().size() > index);
        return JSON.readTree(client.messages().get(index));
    }

    /** What a refused upgrade answered. */
    record Refusal(int status, Map<String, String> headers, String body) {
    }

    /**
     * The upgrade written by hand on a socket (the JDK's HTTP client will not send Upgrade), so
     * the refusal's status, headers and body can be read.
     */
    private static Refusal upgrade(String query, String... headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.publicAddress().getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder("GET /ws" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            Map<String, String> responseHeaders = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                responseHeaders.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
            char[] body = new char[Integer.parseInt(responseHeaders.getOrDefault("Content-Length", "0"))];
            int read = 0;
            while (read < body.length) {
                int n = in.read(body, read, body.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new Refusal(status, responseHeaders, new String(body, 0, read));
        }
    }

    @Test
    void noTokenIsRefusedBeforeTheUpgradeWith401AndAProblemNamingTheCheck() throws Exception {
        Refusal response = upgrade("");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsEntry("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(401);
        assertThat(problem.path("type").asText()).isEqualTo("urn:signaling:problem:token-missing");
        assertThat(problem.path("detail").asText()).contains("missing");
    }

    @Test
    void anExpiredTokenNamesTheCheckAndIsNotEchoed() throws Exception {
        String expired = JwtVerifiers.mintHmac("k1", "HS256", SECRET.getBytes(StandardCharsets.UTF_8), "alice",
                RoomId.of("demo"), "signaling", Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        Refusal byQuery = upgrade("?access_token=" + expired);
        assertThat(byQuery.status()).isEqualTo(401);
        assertThat(JSON.readTree(byQuery.body()).path("type").asText()).isEqualTo("urn:signaling:problem:token-expired");
        Refusal byHeader = upgrade("", "Authorization", "Bearer " + expired);
        assertThat(byHeader.status()).isEqualTo(401);
        assertThat(JSON.readTree(byHeader.body()).path("detail").asText()).contains("expired");
        String wrongKey = JwtVerifiers.mintHmac("k1", "HS256",
                "another-secret-of-at-least-32-bytes-long".getBytes(StandardCharsets.UTF_8), "alice",
                RoomId.of("demo"), "signaling", Instant.now(), Duration.ofHours(1));
        Refusal forged = upgrade("?access_token=" + wrongKey);
        assertThat(JSON.readTree(forged.body()).path("type").asText()).isEqualTo("urn:signaling:problem:token-signature");
        for (Refusal r : List.of(byQuery, byHeader, forged)) {
            assertThat(r.body()).doesNotContain(expired.substring(0, 30)).doesNotContain(expired.split("\\.")[1])
                    .doesNotContain(wrongKey.split("\\.")[2]);
        }
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connect(expired, true));
        assertThat(refused.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(401);
    }

    @Test
    void identitiesIceServersAndForbiddenJoins() throws Exception {
        try (TestWebSocketClient alice = connect(token("alice", "room-a"), true);
             TestWebSocketClient bob = connect(token("bob", "room-a"), false)) {
            assertThat(alice.subprotocol()).isEqualTo("signaling.v1.1");
            assertThat(bob.subprotocol()).isEmpty();
            JsonNode welcome = next(alice, 0);
            assertThat(welcome.path("identity").asText()).isEqualTo("alice");
            JsonNode ice = welcome.path("iceServers");
            assertThat(ice.get(0).path("urls").get(0).asText()).isEqualTo("stun:127.0.0.1:3478");
            assertThat(ice.get(0).has("username")).isFalse();
            JsonNode turn = ice.get(1);
            assertThat(turn.path("urls").get(0).asText()).isEqualTo("turn:127.0.0.1:3478?transport=udp");
            String username = turn.path("username").asText();
            assertThat(username).matches("\\d+:[A-Za-z0-9_-]+").doesNotContain("alice")
                    .doesNotContain(welcome.path("peerId").asText());
            assertThat(turn.path("credential").asText()).isEqualTo(TurnCredentials.credential(TURN_SECRET, username));
            assertThat(next(bob, 0).path("identity").asText()).isEqualTo("bob");

            alice.send("{\"type\":\"join\",\"room\":\"room-b\",\"id\":\"1\"}");
            JsonNode forbidden = await().atMost(WAIT).until(() -> find(alice, "error"), j -> j != null);
            assertThat(forbidden.path("type").asText()).isEqualTo("error");
            assertThat(forbidden.path("code").asText()).isEqualTo("forbidden");
            assertThat(forbidden.path("id").asText()).isEqualTo("1");
            assertThat(alice.isOpen()).isTrue();

            alice.send("{\"type\":\"join\",\"room\":\"room-a\",\"id\":\"2\"}");
            JsonNode aliceJoined = await().atMost(WAIT).until(() -> find(alice, "joined"), j -> j != null);
            assertThat(aliceJoined.path("members")).isEmpty();
            bob.send("{\"type\":\"join\",\"room\":\"room-a\",\"id\":\"3\"}");
            JsonNode bobJoined = await().atMost(WAIT).until(() -> find(bob, "joined"), j -> j != null);
            assertThat(bobJoined.path("members").get(0).path("identity").asText()).isEqualTo("alice");
            assertThat(bobJoined.path("members").get(0).path("peerId").asText())
                    .isEqualTo(bobJoined.path("peers").get(0).asText());
            JsonNode peerJoined = await().atMost(WAIT).until(() -> find(alice, "peer-joined"), j -> j != null);
            assertThat(peerJoined.path("identity").asText()).isEqualTo("bob");

            // v1.1 gets fresh credentials before the 2 s ones expire; v1 never gets the message.
            JsonNode refresh = await().atMost(WAIT).until(() -> find(alice, "ice-servers"), j -> j != null);
            String fresh = refresh.path("iceServers").get(1).path("username").asText();
            assertThat(fresh).isNotEqualTo(username);
            assertThat(refresh.path("iceServers").get(1).path("credential").asText())
                    .isEqualTo(TurnCredentials.credential(TURN_SECRET, fresh));
            assertThat(find(bob, "ice-servers")).isNull();
        }
    }

    @Test
    void theTokenNeverReachesALogLineASpanOrAMetric() throws Exception {
        String good = token("carol", "room-c");
        String expired = JwtVerifiers.mintHmac("k1", "HS256", SECRET.getBytes(StandardCharsets.UTF_8), "carol",
                RoomId.of("room-c"), "signaling", Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        try (TestWebSocketClient carol = connect(good, true)) {
            next(carol, 0);
            carol.send("{\"type\":\"join\",\"room\":\"elsewhere\"}");
            await().atMost(WAIT).until(() -> find(carol, "error"), j -> j != null);
        }
        upgrade("?access_token=" + expired);
        upgrade("", "Authorization", "Bearer " + expired);
        upgrade("?access_token=" + good.substring(0, good.length() - 3));
        await().atMost(WAIT).until(() -> node.accessLines().size() >= 3);
        String metrics = node.scrape("text/plain").body();
        for (String token : List.of(good, expired)) {
            for (String part : token.split("\\.")) {
                assertThat(node.rawLog()).as("log").doesNotContain(part);
                assertThat(metrics).as("metrics").doesNotContain(part);
                for (SpanData span : node.spans()) {
                    assertThat(span.getName()).doesNotContain(part);
                    span.getAttributes().forEach((key, value) ->
                            assertThat(String.valueOf(value)).as("span %s %s", span.getName(), key).doesNotContain(part));
                    span.getEvents().forEach(event -> event.getAttributes().forEach((key, value) ->
                            assertThat(String.valueOf(value)).doesNotContain(part)));
                }
            }
        }
        assertThat(node.rawLog()).contains("websocket upgrade refused");
        assertThat(metrics).contains("signaling_auth_refusals_total");
    }

    private static JsonNode find(TestWebSocketClient client, String type) throws Exception {
        for (String text : client.messages()) {
            JsonNode message = JSON.readTree(text);
            if (message.path("type").asText().equals(type)) {
                return message;
            }
        }
        return null;
    }
}
