package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.testing.RedisServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Protocol v1.1 resume on ANOTHER node of a cluster (three real nodes in one JVM, one real
 * redis-server): a client's socket is cut in the middle of a relay with room-mates on the other
 * two nodes, and it comes back on a node other than the one that held its session. Every message
 * arrives exactly once and in order on both sides (server {@code seq} and client {@code seq}), no
 * room-mate on any node hears it leave, and a half-open old socket is closed with 4001. Then the
 * refusals on another node: a stale {@code lastSeq}, a used token and a wrong identity each get a
 * new session, and the room sees exactly one {@code peer-left} where a session really ended.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterResumeTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final int MESSAGES = 300;
    private static final String JWT_SECRET = "cluster-resume-secret-of-at-least-32-bytes";

    private RedisServer redis;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SignalingTestNode> nodes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    void startStore() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    void stopStore() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        closeables.clear();
        for (SignalingTestNode node : nodes) {
            node.close();
        }
        nodes.clear();
    }

    private List<SignalingTestNode> cluster(RecordingMetrics metrics, String... flags) throws Exception {
        String prefix = "cluster-resume-" + PREFIXES.incrementAndGet();
        for (int i = 0; i < 3; i++) {
            List<String> all = new ArrayList<>(List.of("redis.enabled=true", "redis.uri=" + redis.uri(),
                    "redis.key-prefix=" + prefix, "rate-limit.messages-per-second=100000", "rate-limit.burst=100000",
                    "session.resume-buffer-messages=2000", "websocket.send-queue-messages=4000"));
            all.addAll(List.of(flags));
            nodes.add(metrics != null && i == 1 ? SignalingTestNode.start(metrics, all.toArray(String[]::new))
                    : SignalingTestNode.start(all.toArray(String[]::new)));
        }
        return nodes;
    }

    private ResumingClient client(String accessToken) {
        ResumingClient client = new ResumingClient(http, accessToken);
        closeables.add(client);
        return client;
    }

    private CuttingProxy proxyTo(SignalingTestNode node) throws Exception {
        InetSocketAddress address = node.node().publicAddress();
        CuttingProxy proxy = new CuttingProxy(new InetSocketAddress("127.0.0.1", address.getPort()));
        closeables.add(proxy);
        return proxy;
    }

    private static URI via(CuttingProxy proxy, SignalingTestNode node) {
        return URI.create("ws://127.0.0.1:" + proxy.port() + node.config().websocket().path());
    }

    private static Predicate<JsonNode> type(String type) {
        return m -> type.equals(m.path("type").asText());
    }

    private static Predicate<JsonNode> relayFrom(String type, String from) {
        return m -> type.equals(m.path("type").asText()) && from.equals(m.path("from").asText());
    }

    private static List<Integer> payloads(ResumingClient client, String type, String from) {
        return client.received().stream().filter(relayFrom(type, from)).map(m -> m.path("payload").asInt()).toList();
    }

    private static String relay(String type, String to, int payload) {
        return "{\"type\":\"" + type + "\",\"to\":\"" + to + "\",\"payload\":" + payload + "}";
    }

    /** A ping's pong comes after everything queued for the client before it. */
    private static void barrier(ResumingClient client, String id) throws Exception {
        client.send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        client.await(m -> id.equals(m.path("id").asText()), "pong " + id);
    }

    @Test
    void aCutMidRelayResumedOnAnotherNodeDeliversEveryMessageOnceInOrderAndNoRoomMateHearsALeave() throws Exception {
        RecordingMetrics metrics = new RecordingMetrics();
        List<SignalingTestNode> n = cluster(metrics);
        CuttingProxy proxy = proxyTo(n.get(0));
        ResumingClient alice = client(null);
        ResumingClient bob = client(null);
        ResumingClient carol = client(null);
        alice.open(via(proxy, n.get(0)));
        bob.open(n.get(1).wsUri());
        carol.open(n.get(2).wsUri());
        alice.join("move");
        bob.join("move");
        carol.join("move");
        alice.awaitCount(type("peer-joined"), 2, "peer-joined of bob and carol");
        bob.await(type("peer-joined"), "carol's peer-joined");
        String a = alice.peerId();

        for (int i = 1; i <= MESSAGES; i++) {
            bob.sendNumbered(relay("offer", a, i));
            carol.sendNumbered(relay("offer", a, i));
            alice.sendNumbered(relay("answer", bob.peerId(), i));
            alice.sendNumbered(relay("answer", carol.peerId(), i));
            if (i == MESSAGES / 3) {
                proxy.cutAll();
            }
        }
        assertThat(alice.lost().get(ResumingClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1006);
        String spent = alice.token();
        assertThat(spent).as("the token names the node that holds the session").hasSizeGreaterThan(60);
        // Back through "the load balancer" on node 1, which never held the session.
        JsonNode welcome = alice.resume(n.get(1).wsUri());
        assertThat(welcome.path("resumed").asBoolean()).as("resumed: %s", welcome).isTrue();
        assertThat(welcome.path("peerId").asText()).isEqualTo(a);
        assertThat(welcome.path("room").asText()).isEqualTo("move");
        assertThat(alice.token()).as("a fresh token").isNotEqualTo(spent);
        for (int i = MESSAGES + 1; i <= MESSAGES + 20; i++) {
            bob.sendNumbered(relay("offer", a, i));
            carol.sendNumbered(relay("offer", a, i));
            alice.sendNumbered(relay("answer", bob.peerId(), i));
            alice.sendNumbered(relay("answer", carol.peerId(), i));
        }
        int total = MESSAGES + 20;
        alice.awaitCount(relayFrom("offer", bob.peerId()), total, "offers from bob");
        alice.awaitCount(relayFrom("offer", carol.peerId()), total, "offers from carol");
        bob.awaitCount(type("answer"), total, "answers from alice");
        carol.awaitCount(type("answer"), total, "answers from alice");
        List<Integer> expected = IntStream.rangeClosed(1, total).boxed().toList();
        assertThat(payloads(alice, "offer", bob.peerId())).isEqualTo(expected);
        assertThat(payloads(alice, "offer", carol.peerId())).isEqualTo(expected);
        assertThat(payloads(bob, "answer", a)).isEqualTo(expected);
        assertThat(payloads(carol, "answer", a)).isEqualTo(expected);
        for (ResumingClient client : List.of(alice, bob, carol)) {
            assertThat(client.anomalies()).as("seq of %s", client.peerId()).isEmpty();
        }
        // Nothing more trickles in: no duplicate was on its way, and no room-mate heard a leave.
        for (ResumingClient client : List.of(alice, bob, carol)) {
            barrier(client, "last");
        }
        assertThat(payloads(alice, "offer", bob.peerId())).hasSize(total);
        assertThat(payloads(alice, "offer", carol.peerId())).hasSize(total);
        assertThat(payloads(bob, "answer", a)).hasSize(total);
        assertThat(payloads(carol, "answer", a)).hasSize(total);
        assertThat(bob.received()).noneMatch(type("peer-left"));
        assertThat(carol.received()).noneMatch(type("peer-left"));
        assertThat(metrics.counter("signaling.sessions.resumed", "node", "other").orElseThrow().count()).isEqualTo(1.0);

        // The session lives on node 1 now: a newcomer there and on node 0 sees it, and relays both ways.
        ResumingClient dave = client(null);
        dave.open(n.get(0).wsUri());
        JsonNode joined = daveJoins(dave);
        assertThat(joined.path("peers").toString()).contains(a, bob.peerId(), carol.peerId());
        alice.await(m -> "peer-joined".equals(m.path("type").asText()) && dave.peerId().equals(m.path("peerId").asText()),
                "dave's peer-joined");
        dave.send(relay("offer", a, 999));
        alice.await(m -> m.path("payload").asInt() == 999, "dave's offer");
        alice.send(relay("answer", dave.peerId(), 998));
        dave.await(m -> m.path("payload").asInt() == 998, "alice's answer");
        assertThat(alice.anomalies()).isEmpty();
    }

    private static JsonNode daveJoins(ResumingClient dave) throws Exception {
        dave.join("move");
        return dave.received().stream().filter(type("joined")).findFirst().orElseThrow();
    }

    @Test
    void aHalfOpenOldSocketIsClosedWith4001WhenItsSessionResumesOnAnotherNode() throws Exception {
        List<SignalingTestNode> n = cluster(null);
        ResumingClient alice = client(null);
        ResumingClient bob = client(null);
        alice.open(n.get(0).wsUri());
        bob.open(n.get(2).wsUri());
        alice.join("half");
        bob.join("half");
        alice.await(type("peer-joined"), "bob's peer-joined");
        bob.send(relay("offer", alice.peerId(), 1));
        alice.await(type("offer"), "the first offer");
        CompletableFuture<Integer> oldSocket = alice.lost();
        JsonNode welcome = alice.resume(n.get(1).wsUri());
        assertThat(welcome.path("resumed").asBoolean()).as("resumed: %s", welcome).isTrue();
        assertThat(oldSocket.get(ResumingClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4001);
        bob.send(relay("offer", alice.peerId(), 2));
        alice.await(m -> m.path("payload").asInt() == 2, "the offer after the move");
        alice.send(relay("answer", bob.peerId(), 3));
        bob.await(m -> m.path("payload").asInt() == 3, "the answer from the new node");
        barrier(bob, "sync");
        barrier(alice, "sync");
        assertThat(bob.received()).noneMatch(type("peer-left"));
        assertThat(payloads(alice, "offer", bob.peerId())).containsExactly(1, 2);
        assertThat(alice.anomalies()).isEmpty();
    }

    @Test
    void aStaleLastSeqOnAnotherNodeGetsANewSessionAndTheRoomSeesOnePeerLeft() throws Exception {
        List<SignalingTestNode> n = cluster(null, "session.resume-buffer-messages=4");
        ResumingClient alice = client(null);
        ResumingClient bob = client(null);
        alice.open(n.get(0).wsUri());
        bob.open(n.get(1).wsUri());
        alice.join("stale");
        bob.join("stale");
        alice.await(type("peer-joined"), "peer-joined");
        for (int i = 1; i <= 10; i++) {
            bob.send(relay("offer", alice.peerId(), i));
        }
        alice.awaitCount(type("offer"), 10, "offers");
        String oldPeer = alice.peerId();
        String token = alice.token();
        alice.close();
        JsonNode welcome = alice.resumeWith(n.get(2).wsUri(), token, 1);
        assertThat(welcome.path("resumed").asBoolean(true)).isFalse();
        assertThat(welcome.path("peerId").asText()).isNotEqualTo(oldPeer);
        JsonNode left = bob.await(type("peer-left"), "peer-left");
        assertThat(left.path("peerId").asText()).isEqualTo(oldPeer);
        barrier(bob, "sync");
        assertThat(bob.received().stream().filter(type("peer-left")).count()).isEqualTo(1);
        assertThat(bob.anomalies()).isEmpty();
    }

    @Test
    void aUsedTokenOnAnotherNodeGetsANewSessionAndLeavesTheResumedOneAlone() throws Exception {
        List<SignalingTestNode> n = cluster(null);
        CuttingProxy proxy = proxyTo(n.get(0));
        ResumingClient alice = client(null);
        ResumingClient bob = client(null);
        ResumingClient replayer = client(null);
        alice.open(via(proxy, n.get(0)));
        bob.open(n.get(2).wsUri());
        alice.join("used");
        bob.join("used");
        alice.await(type("peer-joined"), "peer-joined");
        String first = alice.token();
        proxy.cutAll();
        alice.lost().get(ResumingClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(alice.resume(n.get(1).wsUri()).path("resumed").asBoolean()).isTrue();
        assertThat(alice.token()).isNotEqualTo(first);
        // The spent token, on the node that issued it and on a third one: nothing to take over.
        for (SignalingTestNode node : List.of(n.get(0), n.get(2))) {
            JsonNode welcome = replayer.resumeWith(node.wsUri(), first, 0);
            assertThat(welcome.path("resumed").asBoolean(true)).isFalse();
            assertThat(welcome.path("peerId").asText()).isNotEqualTo(alice.peerId());
        }
        bob.send(relay("offer", alice.peerId(), 7));
        alice.await(type("offer"), "the offer after the replayed token");
        barrier(bob, "sync");
        assertThat(bob.received()).noneMatch(type("peer-left"));
        assertThat(alice.lost()).isNotDone();
        // Resumed again, from node 1 on to node 2: a session moves as often as its client does.
        CompletableFuture<Integer> onNode1 = alice.lost();
        assertThat(alice.resume(n.get(2).wsUri()).path("resumed").asBoolean()).isTrue();
        assertThat(onNode1.get(ResumingClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4001);
        bob.send(relay("offer", alice.peerId(), 8));
        alice.await(m -> m.path("payload").asInt() == 8, "the offer on the third node");
        barrier(bob, "sync2");
        assertThat(bob.received()).noneMatch(type("peer-left"));
        assertThat(alice.anomalies()).isEmpty();
    }

    @Test
    void underJwtAnotherIdentityOnAnotherNodeGetsANewSessionAndTheRoomSeesOnePeerLeft() throws Exception {
        List<SignalingTestNode> n = cluster(null, "auth.mode=jwt",
                "auth.jwt.keys=[{kid: k1, alg: HS256, secret: \"" + JWT_SECRET + "\"}]");
        java.util.function.BiFunction<String, String, String> mint = (sub, room) -> io.signaling.adapter.jwt.JwtVerifiers
                .mintHmac("k1", "HS256", JWT_SECRET.getBytes(StandardCharsets.UTF_8), sub,
                        io.signaling.domain.signaling.RoomId.of(room), "signaling", Instant.now(), Duration.ofMinutes(10));
        ResumingClient alice = client(mint.apply("alice", "auth"));
        ResumingClient bob = client(mint.apply("bob", "auth"));
        ResumingClient mallory = client(mint.apply("mallory", "auth"));
        ResumingClient aliceAgain = client(mint.apply("alice", "auth"));
        alice.open(n.get(0).wsUri());
        bob.open(n.get(2).wsUri());
        alice.join("auth");
        bob.join("auth");
        alice.await(type("peer-joined"), "peer-joined");
        String oldPeer = alice.peerId();
        String token = alice.token();
        alice.close();
        JsonNode welcome = mallory.resumeWith(n.get(1).wsUri(), token, alice.lastSeq());
        assertThat(welcome.path("resumed").asBoolean(true)).isFalse();
        assertThat(welcome.path("identity").asText()).isEqualTo("mallory");
        assertThat(welcome.path("peerId").asText()).isNotEqualTo(oldPeer);
        JsonNode left = bob.await(type("peer-left"), "peer-left");
        assertThat(left.path("peerId").asText()).isEqualTo(oldPeer);
        assertThat(aliceAgain.resumeWith(n.get(1).wsUri(), token, alice.lastSeq()).path("resumed").asBoolean(true))
                .as("the token was spent by the refused attempt").isFalse();
        barrier(bob, "sync");
        assertThat(bob.received().stream().filter(type("peer-left")).count()).isEqualTo(1);
    }

    /** The state the room management API of {@code node} shows for {@code peer}. */
    private static String apiState(SignalingTestNode node, String room, String peer) {
        return io.signaling.application.rooms.RoomAdmin.builder(node.node().signaling().roomControl()).build()
                .room(io.signaling.domain.signaling.RoomId.of(room), "test").orElseThrow().peers().stream()
                .filter(p -> p.peerId().value().equals(peer)).findFirst().orElseThrow().state();
    }

    @Test
    void theRoomsApiOfEveryNodeShowsAPeerSuspendedOnAnotherNode() throws Exception {
        List<SignalingTestNode> n = cluster(null);
        CuttingProxy proxy = proxyTo(n.get(0));
        ResumingClient alice = client(null);
        ResumingClient bob = client(null);
        alice.open(via(proxy, n.get(0)));
        bob.open(n.get(2).wsUri());
        alice.join("api");
        bob.join("api");
        alice.await(type("peer-joined"), "peer-joined");
        String a = alice.peerId();
        assertThat(apiState(n.get(2), "api", a)).isEqualTo("connected");
        proxy.cutAll();
        alice.lost().get(ResumingClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        org.awaitility.Awaitility.await("suspended seen from node 0 itself").atMost(Duration.ofSeconds(30))
                .until(() -> "suspended".equals(apiState(n.get(0), "api", a)));
        org.awaitility.Awaitility.await("suspended seen from node 2").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> "suspended".equals(apiState(n.get(2), "api", a)));
        assertThat(alice.resume(n.get(1).wsUri()).path("resumed").asBoolean()).isTrue();
        for (SignalingTestNode node : n) {
            assertThat(apiState(node, "api", a)).as("connected again, moved to node 1").isEqualTo("connected");
        }
        assertThat(bob.received()).noneMatch(type("peer-left"));
    }
}
