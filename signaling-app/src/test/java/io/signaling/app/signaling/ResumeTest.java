package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol v1.1 resume over real sockets: a loopback proxy cuts a client's TCP connection in the
 * middle of a relay in both directions; the client resumes, and every message arrives exactly once
 * and in order on both sides, and the room-mate never hears the peer leave. Then the refusals:
 * a stale {@code lastSeq} and a used token get a new session, and the room sees one
 * {@code peer-left} only for the session that really ended.
 */
class ResumeTest {

    private static final int MESSAGES = 300;

    private SignalingTestNode node;
    private CuttingProxy proxy;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        node = SignalingTestNode.start("rate-limit.messages-per-second=100000", "rate-limit.burst=100000",
                "session.resume-buffer-messages=1000", "websocket.send-queue-messages=2000");
        InetSocketAddress address = node.node().publicAddress();
        proxy = new CuttingProxy(new InetSocketAddress("127.0.0.1", address.getPort()));
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private URI viaProxy() {
        return URI.create("ws://127.0.0.1:" + proxy.port() + node.config().websocket().path());
    }

    private static Predicate<JsonNode> type(String type) {
        return m -> type.equals(m.path("type").asText());
    }

    private static List<Integer> payloads(ResumingClient client, String type) {
        return client.received().stream().filter(type(type)).map(m -> m.path("payload").asInt()).toList();
    }

    @Test
    void aCutMidRelayIsResumedWithEveryMessageOnceInOrderAndNoPeerLeft() throws Exception {
        try (ResumingClient alice = new ResumingClient(http, null); ResumingClient bob = new ResumingClient(http, null)) {
            alice.open(viaProxy());
            bob.open(node.wsUri());
            alice.join("cut");
            bob.join("cut");
            alice.await(type("peer-joined"), "bob's peer-joined");
            for (int i = 1; i <= MESSAGES; i++) {
                bob.sendNumbered("{\"type\":\"offer\",\"to\":\"" + alice.peerId() + "\",\"payload\":" + i + "}");
                alice.sendNumbered("{\"type\":\"answer\",\"to\":\"" + bob.peerId() + "\",\"payload\":" + i + "}");
                if (i == MESSAGES / 3) {
                    proxy.cutAll();
                }
            }
            assertThat(alice.lost().get(ResumingClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1006);
            String peer = alice.peerId();
            JsonNode welcome = alice.resume(viaProxy());
            assertThat(welcome.path("resumed").asBoolean()).as("resumed: %s", welcome).isTrue();
            assertThat(welcome.path("peerId").asText()).isEqualTo(peer);
            assertThat(welcome.path("room").asText()).isEqualTo("cut");
            for (int i = MESSAGES + 1; i <= MESSAGES + 20; i++) {
                bob.sendNumbered("{\"type\":\"offer\",\"to\":\"" + alice.peerId() + "\",\"payload\":" + i + "}");
                alice.sendNumbered("{\"type\":\"answer\",\"to\":\"" + bob.peerId() + "\",\"payload\":" + i + "}");
            }
            alice.awaitCount(type("offer"), MESSAGES + 20, "offers from bob");
            bob.awaitCount(type("answer"), MESSAGES + 20, "answers from alice");
            List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, MESSAGES + 20).boxed().toList();
            assertThat(payloads(alice, "offer")).isEqualTo(expected);
            assertThat(payloads(bob, "answer")).isEqualTo(expected);
            assertThat(alice.anomalies()).isEmpty();
            assertThat(bob.anomalies()).isEmpty();
            assertThat(bob.received()).noneMatch(type("peer-left"));
            // Nothing more trickles in: no duplicate was on its way.
            bob.send("{\"type\":\"ping\",\"id\":\"last\"}");
            bob.await(m -> "last".equals(m.path("id").asText()), "pong");
            alice.send("{\"type\":\"ping\",\"id\":\"last\"}");
            alice.await(m -> "last".equals(m.path("id").asText()), "pong");
            assertThat(payloads(alice, "offer")).hasSize(MESSAGES + 20);
            assertThat(payloads(bob, "answer")).hasSize(MESSAGES + 20);
        }
    }

    @Test
    void aStaleLastSeqGetsANewSessionAndTheRoomSeesOnePeerLeft() throws Exception {
        node.close();
        node = SignalingTestNode.start("rate-limit.messages-per-second=100000", "rate-limit.burst=100000",
                "session.resume-buffer-messages=4");
        try (ResumingClient alice = new ResumingClient(http, null); ResumingClient bob = new ResumingClient(http, null)) {
            alice.open(node.wsUri());
            bob.open(node.wsUri());
            alice.join("stale");
            bob.join("stale");
            alice.await(type("peer-joined"), "peer-joined");
            for (int i = 1; i <= 10; i++) {
                bob.send("{\"type\":\"offer\",\"to\":\"" + alice.peerId() + "\",\"payload\":" + i + "}");
            }
            alice.awaitCount(type("offer"), 10, "offers");
            String oldPeer = alice.peerId();
            String token = alice.token();
            alice.close();
            JsonNode welcome = alice.resumeWith(node.wsUri(), token, 1);
            assertThat(welcome.path("resumed").asBoolean(true)).isFalse();
            assertThat(welcome.path("peerId").asText()).isNotEqualTo(oldPeer);
            JsonNode left = bob.await(type("peer-left"), "peer-left");
            assertThat(left.path("peerId").asText()).isEqualTo(oldPeer);
            bob.send("{\"type\":\"ping\",\"id\":\"sync\"}");
            bob.await(m -> "sync".equals(m.path("id").asText()), "pong");
            assertThat(bob.received().stream().filter(type("peer-left")).count()).isEqualTo(1);
            assertThat(bob.anomalies()).isEmpty();
        }
    }

    @Test
    void aUsedTokenGetsANewSessionAndLeavesTheResumedOneAlone() throws Exception {
        try (ResumingClient alice = new ResumingClient(http, null); ResumingClient bob = new ResumingClient(http, null);
             ResumingClient replayer = new ResumingClient(http, null)) {
            alice.open(viaProxy());
            bob.open(node.wsUri());
            alice.join("used");
            bob.join("used");
            alice.await(type("peer-joined"), "peer-joined");
            String first = alice.token();
            proxy.cutAll();
            alice.lost().get(ResumingClient.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(alice.resume(viaProxy()).path("resumed").asBoolean()).isTrue();
            assertThat(alice.token()).isNotEqualTo(first);
            JsonNode welcome = replayer.resumeWith(node.wsUri(), first, 0);
            assertThat(welcome.path("resumed").asBoolean(true)).isFalse();
            assertThat(welcome.path("peerId").asText()).isNotEqualTo(alice.peerId());
            bob.send("{\"type\":\"offer\",\"to\":\"" + alice.peerId() + "\",\"payload\":7}");
            alice.await(type("offer"), "the offer after the replayed token");
            bob.send("{\"type\":\"ping\",\"id\":\"sync\"}");
            bob.await(m -> "sync".equals(m.path("id").asText()), "pong");
            assertThat(bob.received()).noneMatch(type("peer-left"));
            assertThat(alice.lost()).isNotDone();
        }
    }

    @Test
    void underJwtAResumeWithAnotherIdentityGetsANewSessionAndTheRoomSeesOnePeerLeft() throws Exception {
        String secret = "resume-test-secret-of-at-least-32-bytes";
        node.close();
        node = SignalingTestNode.start("auth.mode=jwt", "auth.jwt.keys=[{kid: k1, alg: HS256, secret: \"" + secret + "\"}]");
        java.util.function.BiFunction<String, String, String> mint = (sub, room) -> io.signaling.adapter.jwt.JwtVerifiers
                .mintHmac("k1", "HS256", secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), sub,
                        io.signaling.domain.signaling.RoomId.of(room), "signaling", java.time.Instant.now(),
                        java.time.Duration.ofMinutes(10));
        try (ResumingClient alice = new ResumingClient(http, mint.apply("alice", "auth"));
             ResumingClient bob = new ResumingClient(http, mint.apply("bob", "auth"));
             ResumingClient mallory = new ResumingClient(http, mint.apply("mallory", "auth"));
             ResumingClient aliceAgain = new ResumingClient(http, mint.apply("alice", "auth"))) {
            alice.open(node.wsUri());
            bob.open(node.wsUri());
            alice.join("auth");
            bob.join("auth");
            alice.await(type("peer-joined"), "peer-joined");
            String oldPeer = alice.peerId();
            String token = alice.token();
            alice.close();
            JsonNode welcome = mallory.resumeWith(node.wsUri(), token, alice.lastSeq());
            assertThat(welcome.path("resumed").asBoolean(true)).isFalse();
            assertThat(welcome.path("identity").asText()).isEqualTo("mallory");
            assertThat(welcome.path("peerId").asText()).isNotEqualTo(oldPeer);
            JsonNode left = bob.await(type("peer-left"), "peer-left");
            assertThat(left.path("peerId").asText()).isEqualTo(oldPeer);
            // The token was spent by the refused attempt: the right identity cannot use it either.
            assertThat(aliceAgain.resumeWith(node.wsUri(), token, alice.lastSeq()).path("resumed").asBoolean(true)).isFalse();
            bob.send("{\"type\":\"ping\",\"id\":\"sync\"}");
            bob.await(m -> "sync".equals(m.path("id").asText()), "pong");
            assertThat(bob.received().stream().filter(type("peer-left")).count()).isEqualTo(1);
        }
    }
}
