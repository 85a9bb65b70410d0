package io.signaling.app.signaling;

import static io.signaling.app.signaling.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.signaling.adapter.jwt.JwtVerifiers;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three real nodes in one JVM sharing one real redis-server (a child process): one room spread
 * over them behaves as on one server. Each test uses its own key prefix, so the nodes of one test
 * never meet another test's. {@link ClusterOnRedisClusterTest} runs the same tests on a real
 * 3-master Redis Cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final String JWT_SECRET = "cluster-test-secret-of-at-least-32-bytes";
    private RedisServer redis;
    private String redisUri;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SignalingTestNode> nodes = new ArrayList<>();
    private final List<SignalingClient> clients = new ArrayList<>();
    // One instance serves every test (PER_CLASS, for the shared Redis): per-test state is reset.
    private ExecutorService executor;

    @BeforeEach
    void newExecutor() {
        executor = Executors.newFixedThreadPool(3);
    }

    @BeforeAll
    void startStore() throws Exception {
        redisUri = startRedis();
    }

    @AfterAll
    void stopStore() throws Exception {
        stopRedis();
    }

    /** Starts the Redis the nodes share and returns its {@code redis.uri}. */
    protected String startRedis() throws Exception {
        redis = RedisServer.start();
        return redis.uri();
    }

    protected void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        executor.shutdownNow();
        clients.forEach(SignalingClient::close);
        clients.clear();
        for (SignalingTestNode node : nodes) {
            node.close();
        }
        nodes.clear();
    }

    /** Three nodes of one cluster, with {@code flags} on top of the cluster's. */
    private List<SignalingTestNode> cluster(String... flags) throws Exception {
        String prefix = "cluster-test-" + PREFIXES.incrementAndGet();
        for (int i = 0; i < 3; i++) {
            List<String> all = new ArrayList<>(List.of("redis.enabled=true", "redis.uri=" + redisUri,
                    "redis.key-prefix=" + prefix, "rate-limit.messages-per-second=10000", "rate-limit.burst=10000"));
            all.addAll(List.of(flags));
            nodes.add(SignalingTestNode.start(all.toArray(String[]::new)));
        }
        return nodes;
    }

    private SignalingClient connect(SignalingTestNode node) throws Exception {
        SignalingClient client = SignalingClient.connect(http, node.wsUri());
        clients.add(client);
        return client;
    }

    /** Connects with an access token for {@code sub} in {@code room} (the nodes run auth.mode=jwt). */
    private SignalingClient connectAs(SignalingTestNode node, String sub, String room) throws Exception {
        String token = JwtVerifiers.mintHmac("k1", "HS256", JWT_SECRET.getBytes(StandardCharsets.UTF_8), sub,
                RoomId.of(room), "signaling", Instant.now(), Duration.ofMinutes(10));
        SignalingClient client = SignalingClient.connect(http, URI.create(node.wsUri() + "?access_token=" + token));
        clients.add(client);
        return client;
    }

    @Test
    void identitiesOfRoomMatesOnOtherNodesAreTheirTokensIdentities() throws Exception {
        List<SignalingTestNode> n = cluster("auth.mode=jwt", "auth.jwt.keys=[{kid: k1, alg: HS256, secret: \"" + JWT_SECRET + "\"}]");
        SignalingClient alice = connectAs(n.get(0), "alice", "who");
        SignalingClient bob = connectAs(n.get(1), "bob", "who");
        SignalingClient carol = connectAs(n.get(2), "carol", "who");
        assertThat(alice.join("who").path("members")).isEmpty();
        JsonNode bobJoined = bob.join("who");
        assertThat(bobJoined.path("members").get(0).path("peerId").asText()).isEqualTo(alice.peerId());
        assertThat(bobJoined.path("members").get(0).path("identity").asText()).isEqualTo("alice");
        assertThat(alice.next("peer-joined").path("identity").asText()).isEqualTo("bob");
        JsonNode carolJoined = carol.join("who");
        assertThat(carolJoined.path("members")).hasSize(2);
        assertThat(carolJoined.path("members").get(0).path("identity").asText()).isEqualTo("alice");
        assertThat(carolJoined.path("members").get(1).path("identity").asText()).isEqualTo("bob");
        assertThat(alice.next("peer-joined").path("identity").asText()).isEqualTo("carol");
        assertThat(bob.next("peer-joined").path("identity").asText()).isEqualTo("carol");
    }

    @Test
    void aRoomSpreadOverThreeNodesJoinsAnnouncesAndRelaysEveryWay() throws Exception {
        List<SignalingTestNode> n = cluster();
        SignalingClient a = connect(n.get(0));
        SignalingClient b = connect(n.get(1));
        SignalingClient c = connect(n.get(2));

        assertThat(a.join("spread")).isEqualTo(json("{'type':'joined','room':'spread','peerId':'%s','peers':[],'polite':false}",
                a.peerId()));
        assertThat(b.join("spread")).isEqualTo(json("{'type':'joined','room':'spread','peerId':'%s','peers':['%s'],'polite':false}",
                b.peerId(), a.peerId()));
        assertThat(a.next()).isEqualTo(json("{'type':'peer-joined','room':'spread','peerId':'%s','polite':true}", b.peerId()));
        assertThat(c.join("spread")).isEqualTo(json(
                "{'type':'joined','room':'spread','peerId':'%s','peers':['%s','%s'],'polite':false}",
                c.peerId(), a.peerId(), b.peerId()));
        assertThat(a.next()).isEqualTo(json("{'type':'peer-joined','room':'spread','peerId':'%s','polite':true}", c.peerId()));
        assertThat(b.next()).isEqualTo(json("{'type':'peer-joined','room':'spread','peerId':'%s','polite':true}", c.peerId()));

        List<SignalingClient> all = List.of(a, b, c);
        for (SignalingClient from : all) {
            for (SignalingClient to : all) {
                if (from != to) {
                    from.relay("offer", to.peerId(), "{\"sdp\":\"from " + from.peerId() + "\"}");
                    assertThat(to.next()).isEqualTo(json("{'type':'offer','from':'%s','to':'%s','payload':{'sdp':'from %s'}}",
                            from.peerId(), to.peerId(), from.peerId()));
                }
            }
        }

        // A peer on another node of another room is not reachable: the same error as on one node.
        SignalingClient stranger = connect(n.get(1));
        stranger.join("elsewhere");
        a.relay("offer", stranger.peerId(), "{}");
        assertThat(a.next()).isEqualTo(json("{'type':'error','code':'peer-not-found','message':"
                + "'no peer \\u0027%s\\u0027 in room \\u0027spread\\u0027'}", stranger.peerId()));

        b.close();
        assertThat(a.next()).isEqualTo(json("{'type':'peer-left','room':'spread','peerId':'%s','reason':'disconnect'}", b.peerId()));
        assertThat(c.next()).isEqualTo(json("{'type':'peer-left','room':'spread','peerId':'%s','reason':'disconnect'}", b.peerId()));
        c.request("{\"type\":\"leave\"}");
        assertThat(a.next()).isEqualTo(json("{'type':'peer-left','room':'spread','peerId':'%s','reason':'leave'}", c.peerId()));
        a.assertNothingPending();
        stranger.assertNothingPending();
    }

    @Test
    void aThousandRelaysFromEachSenderArriveInOrderExactlyOnceAcrossNodes() throws Exception {
        // The receivers read only once everything was sent: their queues must hold it all.
        List<SignalingTestNode> n = cluster("websocket.send-queue-messages=5000", "websocket.send-queue-bytes=16MiB");
        List<SignalingClient> peers = List.of(connect(n.get(0)), connect(n.get(1)), connect(n.get(2)));
        for (SignalingClient peer : peers) {
            peer.join("fifo");
        }
        peers.get(0).next("peer-joined");
        peers.get(0).next("peer-joined");
        peers.get(1).next("peer-joined");

        int perSender = 1_000;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (SignalingClient sender : peers) {
            List<SignalingClient> others = peers.stream().filter(p -> p != sender).toList();
            sending.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                    for (int seq = 0; seq < perSender; seq++) {
                        sender.relay(seq % 3 == 0 ? "candidate" : "offer", others.get(seq % 2).peerId(), "{\"seq\":" + seq + "}");
                    }
                    // The end mark comes after every relay in each sender's FIFO: a late duplicate would precede it.
                    for (SignalingClient other : others) {
                        sender.relay("answer", other.peerId(), "{\"end\":true}");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, executor));
        }
        go.countDown();
        for (CompletableFuture<Void> f : sending) {
            f.get(120, TimeUnit.SECONDS);
        }
        for (SignalingClient receiver : peers) {
            Map<String, List<Integer>> bySender = new HashMap<>();
            Set<String> ended = new HashSet<>();
            while (ended.size() < 2) {
                JsonNode frame = receiver.next();
                assertThat(frame.path("to").asText()).isEqualTo(receiver.peerId());
                String from = frame.path("from").asText();
                assertThat(ended).as("nothing from %s after its end mark", from).doesNotContain(from);
                if (frame.path("payload").has("end")) {
                    ended.add(from);
                } else {
                    bySender.computeIfAbsent(from, k -> new ArrayList<>()).add(frame.path("payload").path("seq").asInt());
                }
            }
            assertThat(bySender).hasSize(2);
            for (Map.Entry<String, List<Integer>> fromSender : bySender.entrySet()) {
                List<Integer> seqs = fromSender.getValue();
                int parity = seqs.get(0);
                List<Integer> expected = new ArrayList<>();
                for (int seq = parity; seq < perSender; seq += 2) {
                    expected.add(seq);
                }
                assertThat(seqs).as("relays from %s, in order, each once", fromSender.getKey()).isEqualTo(expected);
            }
            receiver.assertNothingPending();
        }
    }

    @Test
    void roomFullIsCountedOverTheWholeRoom() throws Exception {
        List<SignalingTestNode> n = cluster("rooms.max-peers=2");
        SignalingClient a = connect(n.get(0));
        SignalingClient b = connect(n.get(1));
        SignalingClient c = connect(n.get(2));
        a.join("pair");
        b.join("pair");
        a.next("peer-joined");
        assertThat(c.request("{\"type\":\"join\",\"room\":\"pair\",\"id\":\"j\"}"))
                .isEqualTo(json("{'type':'error','code':'room-full','message':'room \\u0027pair\\u0027 is full (2 peers)','id':'j'}"));
        a.assertNothingPending();
        b.assertNothingPending();
        b.request("{\"type\":\"leave\"}");
        a.next("peer-left");
        assertThat(c.join("pair").path("peers").get(0).asText()).isEqualTo(a.peerId());
    }

    @Test
    void concurrentJoinsFromEveryNodeNeverOverfillARoom() throws Exception {
        List<SignalingTestNode> n = cluster("rooms.max-peers=4");
        List<SignalingClient> joiners = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            joiners.add(connect(n.get(i % 3)));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
        ExecutorService many = Executors.newFixedThreadPool(12);
        try {
            for (SignalingClient joiner : joiners) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return joiner.request("{\"type\":\"join\",\"room\":\"crowd\"}");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, many));
            }
            go.countDown();
            List<SignalingClient> admitted = new ArrayList<>();
            Set<Integer> sizesSeen = new HashSet<>();
            for (int i = 0; i < joiners.size(); i++) {
                JsonNode reply = replies.get(i).get(60, TimeUnit.SECONDS);
                if (reply.path("type").asText().equals("joined")) {
                    admitted.add(joiners.get(i));
                    sizesSeen.add(reply.path("peers").size());
                } else {
                    assertThat(reply.path("code").asText()).as("%s", reply).isEqualTo("room-full");
                }
            }
            assertThat(admitted).hasSize(4);
            assertThat(sizesSeen).as("each admitted peer saw a different number before it").containsExactlyInAnyOrder(0, 1, 2, 3);
            // Every admitted peer hears of exactly the ones admitted after it, and of nobody refused.
            Set<String> admittedIds = new HashSet<>();
            admitted.forEach(p -> admittedIds.add(p.peerId()));
            for (SignalingClient peer : admitted) {
                for (JsonNode frame : peer.framesBeforeBarrier()) {
                    assertThat(frame.path("type").asText()).isEqualTo("peer-joined");
                    assertThat(admittedIds).contains(frame.path("peerId").asText());
                }
            }
        } finally {
            many.shutdownNow();
        }
    }

    @Test
    void aDrainingNodesPeersLeaveWithReasonShutdownElsewhere() throws Exception {
        List<SignalingTestNode> n = cluster();
        SignalingClient a = connect(n.get(0));
        SignalingClient b = connect(n.get(1));
        a.join("drain");
        b.join("drain");
        a.next("peer-joined");
        n.get(1).shutdownAsync();
        b.next("goaway");
        assertThat(a.next()).isEqualTo(json("{'type':'peer-left','room':'drain','peerId':'%s','reason':'shutdown'}", b.peerId()));
        a.assertNothingPending();
    }

    @Test
    void peerJoinedPrecedesTheNewcomersFirstRelayAcrossNodes() throws Exception {
        List<SignalingTestNode> n = cluster();
        SignalingClient resident = connect(n.get(0));
        for (int round = 0; round < 20; round++) {
            String room = "newcomer-" + round;
            resident.join(room);
            SignalingClient newcomer = connect(n.get(1 + round % 2));
            newcomer.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            newcomer.relay("offer", resident.peerId(), "{\"round\":" + round + "}");
            assertThat(resident.next()).isEqualTo(json("{'type':'peer-joined','room':'%s','peerId':'%s','polite':true}",
                    room, newcomer.peerId()));
            assertThat(resident.next()).isEqualTo(json("{'type':'offer','from':'%s','to':'%s','payload':{'round':%d}}",
                    newcomer.peerId(), resident.peerId(), round));
            newcomer.next("joined");
            newcomer.close();
            resident.next("peer-left");
            resident.request("{\"type\":\"leave\"}");
        }
    }
}
