package io.signaling.app.signaling;

import static io.signaling.app.signaling.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.signaling.adapter.jwt.JwtVerifiers;
import io.signaling.application.rooms.AdminAccess;
import io.signaling.application.rooms.RoomAdmin;
import io.signaling.application.rooms.RoomsRoutes;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.testing.RecordingRouter;
import io.signaling.ports.testing.RedisServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The room management API end to end: real nodes (one alone, three sharing a real redis-server
 * child process), real WebSocket clients of both protocol versions, real HTTP. Every call records
 * the documented response it produced; the last test checks that the OpenAPI document lists
 * exactly the routes the server registers under /api/v1 and that every response code it documents
 * was produced here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomsApiTest {

    private static final String SECRET = "rooms-api-test-secret-at-least-32-bytes";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    /** "METHOD template status" of every API response seen. */
    private static final Set<String> PRODUCED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean ALL_RAN = new AtomicBoolean(true);
    private static RedisServer redis;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SignalingTestNode> nodes = new ArrayList<>();
    private final List<SignalingClient> clients = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::close);
        nodes.forEach(SignalingTestNode::close);
    }

    // ------------------------------------------------------------------ helpers

    record Reply(int status, JsonNode body, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private SignalingTestNode node(String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of("admin.enabled=true", "admin.port=0",
                "rate-limit.messages-per-second=10000", "rate-limit.burst=10000"));
        all.addAll(List.of(flags));
        SignalingTestNode node = SignalingTestNode.start(all.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    private List<SignalingTestNode> cluster(int size, String... flags) throws Exception {
        String prefix = "rooms-api-" + PREFIXES.incrementAndGet();
        List<SignalingTestNode> started = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> all = new ArrayList<>(List.of("redis.enabled=true", "redis.uri=" + redis.uri(),
                    "redis.key-prefix=" + prefix));
            all.addAll(List.of(flags));
            started.add(node(all.toArray(String[]::new)));
        }
        return started;
    }

    private SignalingClient connect(SignalingTestNode node) throws Exception {
        SignalingClient client = SignalingClient.connect(http, node.wsUri());
        clients.add(client);
        return client;
    }

    /** {@code message} as a v1.1 session gets it: numbered {@code seq} (v1 messages carry none). */
    private static JsonNode numbered(JsonNode message, int seq) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) message).put("seq", seq);
        return message;
    }

    private SignalingClient connectV11(SignalingTestNode node) throws Exception {
        SignalingClient client = SignalingClient.connectAsync(http.newWebSocketBuilder().subprotocols("signaling.v1.1"),
                node.wsUri()).get(10, TimeUnit.SECONDS);
        client.readWelcome();
        clients.add(client);
        return client;
    }

    private static URI admin(SignalingTestNode node) {
        InetSocketAddress address = node.node().adminAddress().orElseThrow();
        return URI.create("http://127.0.0.1:" + address.getPort());
    }

    private static URI publicUri(SignalingTestNode node) {
        return URI.create("http://127.0.0.1:" + node.node().publicAddress().getPort());
    }

    private Reply call(String method, URI base, String path, String template) throws Exception {
        return call(method, base, path, template, null);
    }

    private Reply call(String method, URI base, String path, String template, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        PRODUCED.add(method + " " + template + " " + response.statusCode());
        JsonNode body = response.body().isEmpty() ? null : SignalingClient.parse(response.body());
        if (response.statusCode() >= 400) {
            // Every error is an RFC 9457 problem.
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(body.path("status").asInt()).isEqualTo(response.statusCode());
            assertThat(body.path("title").asText()).isNotEmpty();
            assertThat(body.path("detail").asText()).isNotEmpty();
        }
        return new Reply(response.statusCode(), body, response);
    }

    private Reply list(URI base, String query) throws Exception {
        return call("GET", base, RoomsRoutes.ROOMS_PATH + query, RoomsRoutes.ROOMS_PATH);
    }

    private Reply get(URI base, String room) throws Exception {
        return call("GET", base, RoomsRoutes.ROOMS_PATH + "/" + room, RoomsRoutes.ROOM_PATH);
    }

    private Reply close(URI base, String room) throws Exception {
        return call("DELETE", base, RoomsRoutes.ROOMS_PATH + "/" + room, RoomsRoutes.ROOM_PATH);
    }

    private Reply remove(URI base, String room, String peer) throws Exception {
        return call("DELETE", base, RoomsRoutes.ROOMS_PATH + "/" + room + "/peers/" + peer, RoomsRoutes.PEER_PATH);
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("rooms").forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    private static JsonNode peer(JsonNode room, String peerId) {
        for (JsonNode peer : room.path("peers")) {
            if (peer.path("peerId").asText().equals(peerId)) {
                return peer;
            }
        }
        throw new AssertionError("no peer " + peerId + " in " + room);
    }

    // ------------------------------------------------------------------ one node

    @Test
    @Order(1)
    void oneNodeListsAndShowsRoomsWithTheirPeers() throws Exception {
        SignalingTestNode node = node();
        URI api = admin(node);
        Instant before = Instant.now().minusSeconds(1);
        SignalingClient a = connect(node);
        SignalingClient b = connectV11(node);
        SignalingClient c = connect(node);
        a.join("beta");
        b.join("beta");
        c.join("alpha");

        Reply page = list(api, "");
        assertThat(page.status()).isEqualTo(200);
        assertThat(names(page.body())).containsExactly("alpha", "beta");
        assertThat(page.body().path("rooms").get(1).path("peers").asInt()).isEqualTo(2);
        assertThat(Instant.parse(page.body().path("rooms").get(1).path("createdAt").asText())).isAfter(before);
        assertThat(page.body().path("nextCursor").isNull()).isTrue();

        Reply beta = get(api, "beta");
        assertThat(beta.status()).isEqualTo(200);
        assertThat(beta.body().path("name").asText()).isEqualTo("beta");
        List<String> order = new ArrayList<>();
        beta.body().path("peers").forEach(p -> order.add(p.path("peerId").asText()));
        assertThat(order).containsExactly(a.peerId(), b.peerId());
        JsonNode pa = peer(beta.body(), a.peerId());
        assertThat(pa.path("protocol").asText()).isEqualTo("v1");
        assertThat(pa.path("identity").isNull()).isTrue();
        assertThat(pa.path("node").asText()).isEqualTo("local");
        assertThat(pa.path("state").asText()).isEqualTo("connected");
        assertThat(Instant.parse(pa.path("joinedAt").asText())).isAfter(before);
        assertThat(peer(beta.body(), b.peerId()).path("protocol").asText()).isEqualTo("v1.1");

        assertThat(get(api, "nobody-here").status()).isEqualTo(404);
        assertThat(get(api, "not%20a%20name").status()).isEqualTo(400);
        assertThat(list(api, "?limit=0").status()).isEqualTo(400);
        assertThat(list(api, "?limit=x").status()).isEqualTo(400);
        assertThat(list(api, "?cursor=bm9wZQ").status()).isEqualTo(400);

        Reply first = list(api, "?limit=1");
        assertThat(names(first.body())).containsExactly("alpha");
        Reply second = list(api, "?limit=1&cursor=" + first.body().path("nextCursor").asText());
        assertThat(names(second.body())).containsExactly("beta");
        Reply third = list(api, "?limit=1&cursor=" + second.body().path("nextCursor").asText());
        assertThat(names(third.body())).isEmpty();
        assertThat(third.body().path("nextCursor").isNull()).isTrue();

        Reply document = call("GET", api, RoomsRoutes.OPENAPI_PATH, RoomsRoutes.OPENAPI_PATH);
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.response().body().getBytes(StandardCharsets.UTF_8)).isEqualTo(RoomsRoutes.openApiDocument());
        assertThat(document.body().path("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    @Order(2)
    void removingAPeerTellsItAndItsRoomMatesInTheirProtocolsWords() throws Exception {
        SignalingTestNode node = node();
        URI api = admin(node);
        SignalingClient removed = connectV11(node);
        SignalingClient v1 = connect(node);
        SignalingClient v11 = connectV11(node);
        removed.join("call");
        v1.join("call");
        v11.join("call");
        removed.next("peer-joined");
        removed.next("peer-joined");
        v1.next("peer-joined");

        assertThat(remove(api, "call", removed.peerId()).status()).isEqualTo(204);
        // v1.1 messages are numbered (joined 1, two peer-joined, then left).
        assertThat(removed.next()).isEqualTo(numbered(json("{'type':'left','room':'call','reason':'removed'}"), 4));
        assertThat(v1.next()).isEqualTo(json("{'type':'peer-left','room':'call','peerId':'%s','reason':'leave'}",
                removed.peerId()));
        assertThat(v11.next()).isEqualTo(numbered(json("{'type':'peer-left','room':'call','peerId':'%s','reason':'removed'}",
                removed.peerId()), 2));
        // Idempotent by outcome: the peer is out, so a repeat finds none.
        assertThat(remove(api, "call", removed.peerId()).status()).isEqualTo(404);
        assertThat(remove(api, "call", "no-such-peer").status()).isEqualTo(404);
        assertThat(remove(api, "call", "bad%20id").status()).isEqualTo(404);
        assertThat(remove(api, "bad%20room", removed.peerId()).status()).isEqualTo(400);

        // The connection stays open: it is no longer a member, and may join again.
        v1.relay("offer", removed.peerId(), "{}");
        assertThat(v1.next().path("code").asText()).isEqualTo("peer-not-found");
        assertThat(removed.join("call").path("peers")).hasSize(2);
        removed.assertNothingPending();
        v11.next("peer-joined");
        v1.next("peer-joined");
        v1.assertNothingPending();
        v11.assertNothingPending();

        // `left` in reply to `leave`: v1.1 says why, v1 stays as it was.
        assertThat(v11.request("{\"type\":\"leave\",\"id\":\"l1\"}"))
                .isEqualTo(numbered(json("{'type':'left','id':'l1','room':'call','reason':'leave'}"), 5));
        assertThat(v1.next()).isEqualTo(json("{'type':'peer-left','room':'call','peerId':'%s','reason':'leave'}",
                v11.peerId()));
        assertThat(v1.request("{\"type\":\"leave\",\"id\":\"l2\"}"))
                .isEqualTo(json("{'type':'left','id':'l2','room':'call'}"));
    }

    @Test
    @Order(3)
    void closingARoomSendsEveryPeerLeftClosedAndNobodyPeerLeft() throws Exception {
        SignalingTestNode node = node();
        URI api = admin(node);
        List<SignalingClient> peers = List.of(connect(node), connectV11(node), connect(node));
        for (SignalingClient peer : peers) {
            peer.join("meeting");
        }
        peers.get(0).next("peer-joined");
        peers.get(0).next("peer-joined");
        peers.get(1).next("peer-joined");
        SignalingClient elsewhere = connect(node);
        elsewhere.join("other");

        assertThat(close(api, "meeting").status()).isEqualTo(204);
        for (SignalingClient peer : peers) {
            JsonNode left = json("{'type':'left','room':'meeting','reason':'closed'}");
            // The v1.1 peer (the second) is numbered: joined 1, one peer-joined, then left.
            assertThat(peer.next()).isEqualTo(peer == peers.get(1) ? numbered(left, 3) : left);
            peer.assertNothingPending();
        }
        elsewhere.assertNothingPending();
        assertThat(get(api, "meeting").status()).isEqualTo(404);
        assertThat(close(api, "meeting").status()).isEqualTo(404);
        assertThat(close(api, "bad%20room").status()).isEqualTo(400);
        assertThat(names(list(api, "").body())).containsExactly("other");
        // A new join creates it anew, with nobody of the closed room in it.
        assertThat(peers.get(2).join("meeting").path("peers")).isEmpty();
    }

    @Test
    @Order(4)
    void aWalkUnderChurnListsNoRoomTwiceAndEveryStableRoomOnce() throws Exception {
        SignalingTestNode node = node();
        churnWalk(List.of(node), admin(node));
    }

    private void churnWalk(List<SignalingTestNode> on, URI api) throws Exception {
        Set<String> stable = new TreeSet<>();
        for (int i = 0; i < 24; i++) {
            String room = String.format("stable-%02d", i);
            connect(on.get(i % on.size())).join(room);
            stable.add(room);
        }
        AtomicBoolean churning = new AtomicBoolean(true);
        List<SignalingClient> churners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            churners.add(connect(on.get(i % on.size())));
        }
        CompletableFuture<Integer> churn = CompletableFuture.supplyAsync(() -> {
            int rounds = 0;
            try {
                while (churning.get() || rounds < 3) {
                    for (int i = 0; i < churners.size(); i++) {
                        // Rooms that sort before, between and after the stable ones come and go.
                        String room = (i % 2 == 0 ? "stable-" : "a-") + String.format("%02d-%d", rounds % 24, i);
                        churners.get(i).join(room);
                    }
                    for (SignalingClient churner : churners) {
                        churner.request("{\"type\":\"leave\"}");
                    }
                    rounds++;
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return rounds;
        });
        try {
            for (int walk = 0; walk < 3; walk++) {
                List<String> seen = new ArrayList<>();
                String cursor = null;
                do {
                    Reply page = list(api, "?limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
                    assertThat(page.status()).isEqualTo(200);
                    seen.addAll(names(page.body()));
                    cursor = page.body().path("nextCursor").isNull() ? null : page.body().path("nextCursor").asText();
                } while (cursor != null);
                assertThat(new HashSet<>(seen)).as("no room twice in one walk: %s", seen).hasSize(seen.size());
                assertThat(seen).as("in name order").isSorted();
                assertThat(seen).containsAll(stable);
            }
        } finally {
            churning.set(false);
        }
        assertThat(churn.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(3);
    }

    // ------------------------------------------------------------------ the public listener: admin tokens

    @Test
    @Order(5)
    void onThePublicListenerOnlyAnAdminTokenIsLetIn() throws Exception {
        RecordingMetrics metrics = new RecordingMetrics();
        SignalingTestNode node = SignalingTestNode.start(metrics, "admin.enabled=true", "admin.port=0",
                "rooms.api-public=true", "auth.mode=jwt", "auth.jwt.keys=[{kid: k1, alg: HS256, secret: \"" + SECRET + "\"}]");
        nodes.add(node);
        URI api = publicUri(node);
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        String admin = JwtVerifiers.mintAdminHmac("k1", "HS256", key, "ops-alice", "signaling", now, Duration.ofMinutes(5));
        String join = JwtVerifiers.mintHmac("k1", "HS256", key, "bob", RoomId.of("demo"), "signaling", now,
                Duration.ofMinutes(5));
        String expired = JwtVerifiers.mintAdminHmac("k1", "HS256", key, "ops-alice", "signaling",
                now.minus(Duration.ofHours(2)), Duration.ofHours(1));
        String wrongAudience = JwtVerifiers.mintAdminHmac("k1", "HS256", key, "ops-alice", "someone-else", now,
                Duration.ofMinutes(5));

        Reply none = call("GET", api, RoomsRoutes.ROOMS_PATH, RoomsRoutes.ROOMS_PATH);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        Reply joinToken = call("GET", api, RoomsRoutes.ROOMS_PATH, RoomsRoutes.ROOMS_PATH, join);
        assertThat(joinToken.status()).isEqualTo(403);
        assertThat(joinToken.body().path("detail").asText()).contains("rooms:admin").doesNotContain(join);
        Reply old = call("GET", api, RoomsRoutes.ROOMS_PATH, RoomsRoutes.ROOMS_PATH, expired);
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.body().path("detail").asText()).contains("expired").doesNotContain(expired);
        assertThat(old.header("WWW-Authenticate")).contains("invalid_token");
        Reply elsewhere = call("GET", api, RoomsRoutes.ROOMS_PATH, RoomsRoutes.ROOMS_PATH, wrongAudience);
        assertThat(elsewhere.status()).isEqualTo(401);
        assertThat(elsewhere.body().path("detail").asText()).contains("audience");
        for (String path : List.of(RoomsRoutes.ROOMS_PATH + "/r", RoomsRoutes.ROOMS_PATH + "/r/peers/p")) {
            String template = path.endsWith("/p") ? RoomsRoutes.PEER_PATH : RoomsRoutes.ROOM_PATH;
            assertThat(call("DELETE", api, path, template).status()).isEqualTo(401);
            assertThat(call("DELETE", api, path, template, join).status()).isEqualTo(403);
        }
        assertThat(call("GET", api, RoomsRoutes.ROOMS_PATH + "/r", RoomsRoutes.ROOM_PATH).status()).isEqualTo(401);
        assertThat(call("GET", api, RoomsRoutes.ROOMS_PATH + "/r", RoomsRoutes.ROOM_PATH, join).status()).isEqualTo(403);
        assertThat(call("GET", api, RoomsRoutes.OPENAPI_PATH, RoomsRoutes.OPENAPI_PATH).status()).isEqualTo(401);
        assertThat(call("GET", api, RoomsRoutes.OPENAPI_PATH, RoomsRoutes.OPENAPI_PATH, join).status()).isEqualTo(403);

        // An admin token cannot join; a join token can, and the admin token then sees and closes its room.
        SignalingClient bob = SignalingClient.connectAsync(http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + join), node.wsUri()).get(10, TimeUnit.SECONDS);
        clients.add(bob);
        bob.readWelcome();
        bob.join("demo");
        Reply rooms = call("GET", api, RoomsRoutes.ROOMS_PATH, RoomsRoutes.ROOMS_PATH, admin);
        assertThat(rooms.status()).isEqualTo(200);
        assertThat(names(rooms.body())).containsExactly("demo");
        Reply demo = call("GET", api, RoomsRoutes.ROOMS_PATH + "/demo", RoomsRoutes.ROOM_PATH, admin);
        assertThat(peer(demo.body(), bob.peerId()).path("identity").asText()).isEqualTo("bob");
        assertThat(call("DELETE", api, RoomsRoutes.ROOMS_PATH + "/demo", RoomsRoutes.ROOM_PATH, admin).status())
                .isEqualTo(204);
        assertThat(bob.next()).isEqualTo(json("{'type':'left','room':'demo','reason':'closed'}"));
        // An admin token is no join token: its upgrade is refused before the handshake, naming the check.
        Throwable refused = SignalingClient.connectAsync(http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + admin), node.wsUri()).handle((ok, error) -> error)
                .get(10, TimeUnit.SECONDS);
        assertThat(refused).isNotNull();
        Throwable cause = refused.getCause() == null ? refused : refused.getCause();
        assertThat(cause).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
        HttpResponse<?> handshake = ((java.net.http.WebSocketHandshakeException) cause).getResponse();
        assertThat(handshake.statusCode()).isEqualTo(401);

        // Counted by action and outcome, refusals by check.
        assertThat(metrics.counters("signaling.rooms.admin.actions"))
                .containsKey(Map.of("action", "close", "outcome", "ok"));
        assertThat(metrics.counters("signaling.rooms.admin.refusals").keySet())
                .contains(Map.of("check", "missing"), Map.of("check", "scope"), Map.of("check", "expired"),
                        Map.of("check", "audience"));
        // The admin listener needs no token.
        assertThat(list(admin(node), "").status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ three nodes, one Redis

    @Test
    @Order(10)
    void threeNodesListEveryRoomAndShowEachPeersNode() throws Exception {
        List<SignalingTestNode> n = cluster(3);
        SignalingClient a = connect(n.get(0));
        SignalingClient b = connectV11(n.get(1));
        SignalingClient c = connect(n.get(2));
        a.join("on-a");
        b.join("spread");
        c.join("spread");
        b.next("peer-joined");
        for (SignalingTestNode node : n) {
            Reply page = list(admin(node), "");
            assertThat(names(page.body())).containsExactly("on-a", "spread");
            assertThat(page.body().path("rooms").get(1).path("peers").asInt()).isEqualTo(2);
            Reply spread = get(admin(node), "spread");
            assertThat(peer(spread.body(), b.peerId()).path("node").asText())
                    .isEqualTo(n.get(1).node().signaling().roomControl().node().value());
            assertThat(peer(spread.body(), b.peerId()).path("protocol").asText()).isEqualTo("v1.1");
            assertThat(peer(spread.body(), c.peerId()).path("node").asText())
                    .isEqualTo(n.get(2).node().signaling().roomControl().node().value());
            assertThat(peer(spread.body(), c.peerId()).path("protocol").asText()).isEqualTo("v1");
        }
    }

    @Test
    @Order(11)
    void aPeerOnAnotherNodeIsRemovedThroughItsNode() throws Exception {
        List<SignalingTestNode> n = cluster(3);
        SignalingClient target = connectV11(n.get(1));
        SignalingClient v1 = connect(n.get(0));
        SignalingClient v11 = connectV11(n.get(2));
        target.join("x");
        v1.join("x");
        v11.join("x");
        target.next("peer-joined");
        target.next("peer-joined");
        v1.next("peer-joined");

        assertThat(remove(admin(n.get(0)), "x", target.peerId()).status()).isEqualTo(204);
        assertThat(target.next()).isEqualTo(numbered(json("{'type':'left','room':'x','reason':'removed'}"), 4));
        assertThat(v1.next()).isEqualTo(json("{'type':'peer-left','room':'x','peerId':'%s','reason':'leave'}",
                target.peerId()));
        assertThat(v11.next()).isEqualTo(numbered(json("{'type':'peer-left','room':'x','peerId':'%s','reason':'removed'}",
                target.peerId()), 2));
        for (SignalingClient client : List.of(target, v1, v11)) {
            client.assertNothingPending();
        }
        assertThat(remove(admin(n.get(2)), "x", target.peerId()).status()).isEqualTo(404);
        // Relays go on between the others, across nodes; none reaches the removed peer.
        v1.relay("offer", v11.peerId(), "{\"n\":1}");
        assertThat(v11.next().path("type").asText()).isEqualTo("offer");
        v11.relay("offer", target.peerId(), "{}");
        assertThat(v11.next().path("code").asText()).isEqualTo("peer-not-found");
        target.assertNothingPending();
        List<String> left = new ArrayList<>();
        get(admin(n.get(1)), "x").body().path("peers").forEach(p -> left.add(p.path("peerId").asText()));
        assertThat(left).containsExactly(v1.peerId(), v11.peerId());
    }

    @Test
    @Order(12)
    void aRoomSpreadOverNodesIsClosedEverywhere() throws Exception {
        List<SignalingTestNode> n = cluster(3);
        List<SignalingClient> peers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            SignalingClient peer = i % 2 == 0 ? connect(n.get(i % 3)) : connectV11(n.get(i % 3));
            peer.join("town-hall");
            peers.add(peer);
        }
        for (int i = 0; i < peers.size(); i++) {
            for (int j = i + 1; j < peers.size(); j++) {
                peers.get(i).next("peer-joined");
            }
        }
        assertThat(close(admin(n.get(1)), "town-hall").status()).isEqualTo(204);
        for (int i = 0; i < peers.size(); i++) {
            JsonNode left = json("{'type':'left','room':'town-hall','reason':'closed'}");
            // The v1.1 peers (odd i) are numbered: joined 1, a peer-joined per later peer, then left.
            assertThat(peers.get(i).next()).isEqualTo(i % 2 == 1 ? numbered(left, 7 - i) : left);
        }
        for (SignalingClient peer : peers) {
            peer.assertNothingPending();
        }
        for (SignalingTestNode node : n) {
            assertThat(get(admin(node), "town-hall").status()).isEqualTo(404);
            assertThat(names(list(admin(node), "").body())).doesNotContain("town-hall");
        }
        // Every node forgot the closed members: new joins on each node meet only each other.
        assertThat(peers.get(0).join("town-hall").path("peers")).isEmpty();
        assertThat(peers.get(1).join("town-hall").path("peers").get(0).asText()).isEqualTo(peers.get(0).peerId());
        peers.get(0).next("peer-joined");
        peers.get(0).relay("offer", peers.get(1).peerId(), "{}");
        assertThat(peers.get(1).next().path("type").asText()).isEqualTo("offer");
    }

    @Test
    @Order(13)
    void aJoinRacingACloseEndsCleanlyInOrOutNeverHalfway() throws Exception {
        List<SignalingTestNode> n = cluster(3);
        for (int round = 0; round < 8; round++) {
            String room = "race-" + round;
            List<SignalingClient> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SignalingClient member = connect(n.get(i));
                member.join(room);
                members.add(member);
            }
            members.get(0).next("peer-joined");
            members.get(0).next("peer-joined");
            members.get(1).next("peer-joined");
            Set<String> closedMembers = new HashSet<>();
            members.forEach(m -> closedMembers.add(m.peerId()));

            SignalingClient joiner = connect(n.get(round % 3));
            CompletableFuture<JsonNode> joining = CompletableFuture.supplyAsync(() -> {
                try {
                    return joiner.request("{\"type\":\"join\",\"room\":\"" + room + "\"}");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(close(admin(n.get((round + 1) % 3)), room).status()).isEqualTo(204);
            JsonNode joined = joining.get(30, TimeUnit.SECONDS);
            for (SignalingClient member : members) {
                // Each closed member: exactly its left, plus at most the joiner's announcement before it.
                JsonNode first = member.next();
                if (first.path("type").asText().equals("peer-joined")) {
                    first = member.next();
                }
                assertThat(first).isEqualTo(json("{'type':'left','room':'%s','reason':'closed'}", room));
                member.assertNothingPending();
            }
            if (!joined.path("type").asText().equals("joined")) {
                // A clean refusal: an error, and the joiner is in no room.
                assertThat(joined.path("type").asText()).isEqualTo("error");
                joiner.assertNothingPending();
                continue;
            }
            List<String> metBefore = new ArrayList<>();
            joined.path("peers").forEach(p -> metBefore.add(p.asText()));
            if (!metBefore.isEmpty()) {
                // It joined the room being closed: it is closed with the others.
                assertThat(closedMembers).containsAll(metBefore);
                assertThat(joiner.next()).isEqualTo(json("{'type':'left','room':'%s','reason':'closed'}", room));
                joiner.assertNothingPending();
                assertThat(get(admin(n.get(0)), room).status()).isEqualTo(404);
            } else {
                // It joined the new room: alone in it, as the store says, and nothing closes it.
                joiner.assertNothingPending();
                Reply now = get(admin(n.get(2)), room);
                assertThat(now.status()).isEqualTo(200);
                assertThat(now.body().path("peers")).hasSize(1);
                assertThat(now.body().path("peers").get(0).path("peerId").asText()).isEqualTo(joiner.peerId());
            }
        }
    }

    @Test
    @Order(14)
    void threeNodesWalkUnderChurnListingNoRoomTwice() throws Exception {
        List<SignalingTestNode> n = cluster(3);
        churnWalk(n, admin(n.get(1)));
    }

    @Test
    @Order(15)
    void aStoreThatCannotBeReachedIsAProblemToRetry() throws Exception {
        RedisServer own = RedisServer.start();
        try {
            SignalingTestNode node = node("redis.enabled=true", "redis.uri=" + own.uri(), "redis.key-prefix=gone",
                    "redis.command-timeout=300ms", "redis.node-ttl=3s");
            URI api = admin(node);
            connect(node).join("kept");
            own.kill();
            for (Reply reply : List.of(list(api, ""), get(api, "kept"), close(api, "kept"), remove(api, "kept", "p1"))) {
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.header("Retry-After")).isNotNull();
            }
        } finally {
            own.close();
        }
    }

    // ------------------------------------------------------------------ the document

    @Test
    @Order(100)
    void theDocumentDescribesEveryRouteAndEveryDocumentedResponseWasProduced() throws Exception {
        JsonNode document = SignalingClient.parse(new String(RoomsRoutes.openApiDocument(), StandardCharsets.UTF_8));
        RecordingRouter router = new RecordingRouter();
        SignalingTestNode node = node();
        new RoomsRoutes(RoomAdmin.builder(node.node().signaling().roomControl()).build(), AdminAccess.adminListener())
                .register(router);
        Set<String> registered = new TreeSet<>();
        router.routes().forEach((template, methods) -> {
            if (template.startsWith(RoomsRoutes.PREFIX + "/")) {
                methods.forEach(m -> registered.add(m + " " + template));
            }
        });
        Set<String> documented = new TreeSet<>();
        Set<String> responses = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters")) {
                    continue;
                }
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                documented.add(method + " " + path.getKey());
                op.getValue().path("responses").fieldNames()
                        .forEachRemaining(code -> responses.add(method + " " + path.getKey() + " " + code));
            }
        }
        assertThat(documented).isEqualTo(registered);
        assertThat(PRODUCED).as("responses produced by the tests above (run the whole class)").containsAll(responses);
        assertThat(responses).as("every response produced is documented").containsAll(PRODUCED);
    }
}
