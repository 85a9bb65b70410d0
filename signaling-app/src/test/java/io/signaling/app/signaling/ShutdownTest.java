package io.signaling.app.signaling;

import static io.signaling.app.signaling.ErrorContractTest.assertError;
import static io.signaling.app.signaling.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.signaling.ports.websocket.RawWebSocketClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shutdown drain: every socket gets {@code goaway} at its scheduled time, its room-mates still
 * open get {@code peer-left} with reason {@code shutdown}, it is closed with 1001, all within the
 * drain timeout; new connections are refused; during the drain a {@code join} is refused with
 * {@code server-shutting-down} while relays, {@code leave} and {@code ping} keep working.
 */
class ShutdownTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SignalingClient> clients = new ArrayList<>();
    private SignalingTestNode node;

    @BeforeEach
    void noNodeYet() {
        node = null;
    }

    @AfterEach
    void closeAll() throws Exception {
        clients.forEach(SignalingClient::close);
        if (node != null) {
            node.shutdownAsync().get(30, TimeUnit.SECONDS);
        }
    }

    private SignalingClient connect() throws Exception {
        SignalingClient client = SignalingClient.connect(http, node.wsUri());
        clients.add(client);
        return client;
    }

    private static boolean refusesNewConnections(SignalingTestNode node) {
        try (RawWebSocketClient raw = RawWebSocketClient.upgrade(node.wsUri(), Map.of(), 0)) {
            return raw.response().status() != 101;
        } catch (IOException refused) {
            return true;
        }
    }

    private static final JsonNode GOAWAY = json("{'type':'goaway','reason':'shutdown','reconnect':true}");

    /** Rooms of members that have read everything but what the drain causes. */
    private Map<String, List<SignalingClient>> rooms(int count, int size) throws Exception {
        Map<String, List<SignalingClient>> rooms = new HashMap<>();
        for (int r = 0; r < count; r++) {
            String room = "drain-" + r;
            List<SignalingClient> members = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                SignalingClient client = connect();
                client.join(room);
                members.add(client);
            }
            for (int i = 0; i < size; i++) {
                for (int later = i + 1; later < size; later++) {
                    members.get(i).next("peer-joined");
                }
            }
            rooms.put(room, members);
        }
        return rooms;
    }

    /** Starts the shutdown and checks that every socket is closed with 1001 within {@code drainMs}. */
    private void shutDownAndAwaitEveryClose(long drainMs) throws Exception {
        long started = System.nanoTime();
        node.shutdownAsync();
        for (SignalingClient client : clients) {
            SignalingClient.Closed closed = client.awaitClosed();
            assertThat(closed.code()).isEqualTo(1001);
            assertThat(TimeUnit.NANOSECONDS.toMillis(closed.atNanos() - started))
                    .as("closed before the drain timeout ends").isLessThan(drainMs);
        }
    }

    /**
     * What each member of a drained room heard: only {@code peer-left} (reason {@code shutdown})
     * about room-mates, and a {@code goaway} only as the last frame; no two members heard of each
     * other leaving. Returns the notices by member and whether each got its goaway.
     */
    private static Map<String, List<String>> checkDrainNotices(String room, List<SignalingClient> members,
                                                               Map<String, Boolean> gotGoaway) {
        Map<String, List<String>> heardLeaving = new HashMap<>();
        List<String> ids = members.stream().map(SignalingClient::peerId).toList();
        for (SignalingClient member : members) {
            List<JsonNode> frames = member.drainQueued().stream().map(SignalingClient::parse).toList();
            boolean goaway = !frames.isEmpty() && frames.get(frames.size() - 1).equals(GOAWAY);
            gotGoaway.put(member.peerId(), goaway);
            List<String> left = new ArrayList<>();
            for (JsonNode notice : goaway ? frames.subList(0, frames.size() - 1) : frames) {
                String peer = notice.path("peerId").asText();
                assertThat(notice).as("frames of %s: %s", member.peerId(), frames)
                        .isEqualTo(json("{'type':'peer-left','room':'%s','peerId':'%s','reason':'shutdown'}", room, peer));
                assertThat(ids).contains(peer);
                left.add(peer);
            }
            assertThat(left).doesNotHaveDuplicates().doesNotContain(member.peerId());
            heardLeaving.put(member.peerId(), left);
        }
        heardLeaving.forEach((peer, left) ->
                left.forEach(other -> assertThat(heardLeaving.get(other)).as("mutual notices").doesNotContain(peer)));
        return heardLeaving;
    }

    @Test
    void everySocketIsClosedWith1001WithinTheDrainTimeoutAfterGoawayAndShutdownNotices() throws Exception {
        node = SignalingTestNode.start("shutdown.drain-timeout=2s");
        Map<String, List<SignalingClient>> rooms = rooms(3, 3);
        SignalingClient lonely = connect();

        shutDownAndAwaitEveryClose(2_000);
        assertThat(node.shutdownAsync().get(10, TimeUnit.SECONDS)).as("clean shutdown").isTrue();
        assertThat(refusesNewConnections(node)).isTrue();

        Map<String, Boolean> gotGoaway = new HashMap<>();
        List<JsonNode> lonelyFrames = lonely.drainQueued().stream().map(SignalingClient::parse).toList();
        assertThat(lonelyFrames).hasSizeLessThanOrEqualTo(1).allSatisfy(f -> assertThat(f).isEqualTo(GOAWAY));
        gotGoaway.put(lonely.peerId(), !lonelyFrames.isEmpty());
        rooms.forEach((room, members) -> checkDrainNotices(room, members, gotGoaway));
        assertThat(gotGoaway).allSatisfy((peer, goaway) -> assertThat(goaway).as("goaway to %s", peer).isTrue());
    }

    @Test
    void everySocketGetsGoawayAndHearsOfEachRoomMateDrainedBeforeItEvenWhenDrainsComeClose() throws Exception {
        // 12 sockets drained within 270 ms, about 20 ms apart: notices and goaways queue back to
        // back behind frames still being written. (With a drain timeout of a few milliseconds the
        // deadline itself aborts sockets mid-handshake, which is a different, accepted outcome.)
        node = SignalingTestNode.start("shutdown.drain-timeout=300ms");
        Map<String, List<SignalingClient>> rooms = rooms(1, 12);

        shutDownAndAwaitEveryClose(2_000);

        Map<String, Boolean> gotGoaway = new HashMap<>();
        Map<String, List<String>> heard = checkDrainNotices("drain-0", rooms.get("drain-0"), gotGoaway);
        assertThat(gotGoaway).allSatisfy((peer, goaway) -> assertThat(goaway).as("goaway to %s", peer).isTrue());
        // Drained one after another: the k-th hears of the k-1 before it.
        assertThat(heard.values().stream().map(List::size).toList())
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    /** Signals that a socket of the pair was drained before the scenario finished. */
    private static final class DrainedEarly extends RuntimeException {
        DrainedEarly() {
            super(null, null, false, false);
        }
    }

    /**
     * The next frame, unless the drain reached the pair first: a {@code goaway} to this client,
     * or a {@code peer-left} with reason {@code shutdown} about its room-mate.
     */
    private static JsonNode nextNotDrained(SignalingClient client) {
        JsonNode frame = client.next();
        if (frame.equals(GOAWAY)) {
            throw new DrainedEarly();
        }
        if (frame.path("type").asText().equals("peer-left") && frame.path("reason").asText().equals("shutdown")) {
            throw new DrainedEarly();
        }
        return frame;
    }

    /**
     * Sends, unless this client was already drained: then the send fails because the server's
     * 1001 closed the connection, and the last frame the client got is its {@code goaway}.
     */
    private static void sendNotDrained(SignalingClient client, String text) throws Exception {
        try {
            client.send(text);
        } catch (Exception sendFailed) {
            SignalingClient.Closed closed = client.closed().getNow(null);
            if (closed == null || closed.code() != 1001) {
                throw sendFailed;
            }
            List<String> queued = client.drainQueued();
            assertThat(queued).as("frames before the drain's close").isNotEmpty();
            assertThat(SignalingClient.parse(queued.get(queued.size() - 1))).isEqualTo(GOAWAY);
            throw new DrainedEarly();
        }
    }

    @Test
    void duringTheDrainJoinIsRefusedWhileRelaysLeaveAndPingKeepWorking() throws Exception {
        // A long drain, so each socket's random close time is very likely still ahead (a pair
        // reached by it anyway is skipped, see DrainedEarly); the test ends the drain by closing
        // its clients.
        node = SignalingTestNode.start("shutdown.drain-timeout=1h");
        List<SignalingClient[]> pairs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SignalingClient a = connect();
            SignalingClient b = connect();
            a.join("during-drain-" + i);
            b.join("during-drain-" + i);
            a.next("peer-joined");
            pairs.add(new SignalingClient[] {a, b});
        }

        node.shutdownAsync();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.node().signaling().isDraining());
        assertThat(refusesNewConnections(node)).as("new connections refused during the drain").isTrue();

        int completed = 0;
        for (SignalingClient[] pair : pairs) {
            try {
                checkDrainScenario(pair[0], pair[1], "during-drain-" + pairs.indexOf(pair));
                completed++;
            } catch (DrainedEarly e) {
                // This pair's close time came up first: its goaway is the contract working.
            }
        }
        assertThat(completed).as("pairs whose sockets outlived the scenario").isPositive();

        clients.forEach(SignalingClient::close);
        assertThat(node.shutdownAsync().get(20, TimeUnit.SECONDS)).as("drain done once every socket is gone").isTrue();
    }

    private static void checkDrainScenario(SignalingClient a, SignalingClient b, String room) throws Exception {
        // The drain is checked before membership: a join is refused even from inside a room.
        sendNotDrained(a, "{\"type\":\"join\",\"room\":\"elsewhere\",\"id\":\"late\"}");
        assertError(nextNotDrained(a), "server-shutting-down", "late");

        sendNotDrained(a, "{\"type\":\"ping\",\"id\":\"drain-ping\"}");
        assertThat(nextNotDrained(a)).isEqualTo(json("{'type':'pong','id':'drain-ping'}"));

        sendNotDrained(a, SignalingClient.relayFrame("offer", b.peerId(), "{\"sdp\":\"during drain\"}"));
        assertThat(nextNotDrained(b)).isEqualTo(json("{'type':'offer','from':'%s','to':'%s','payload':{'sdp':'during drain'}}",
                a.peerId(), b.peerId()));
        sendNotDrained(b, SignalingClient.relayFrame("answer", a.peerId(), "[1]"));
        assertThat(nextNotDrained(a)).isEqualTo(json("{'type':'answer','from':'%s','to':'%s','payload':[1]}",
                b.peerId(), a.peerId()));

        sendNotDrained(a, "{\"type\":\"leave\",\"id\":\"drain-leave\"}");
        assertThat(nextNotDrained(a)).isEqualTo(json("{'type':'left','id':'drain-leave','room':'%s'}", room));
        assertThat(nextNotDrained(b)).isEqualTo(json("{'type':'peer-left','room':'%s','peerId':'%s','reason':'leave'}",
                room, a.peerId()));

        sendNotDrained(a, "{\"type\":\"join\",\"room\":\"" + room + "\",\"id\":\"rejoin\"}");
        assertError(nextNotDrained(a), "server-shutting-down", "rejoin");
        // Refused, a stays out of the room and its connection stays open.
        sendNotDrained(b, "{\"type\":\"ping\",\"id\":\"b\"}");
        assertThat(nextNotDrained(b)).as("b heard nothing of the refused join").isEqualTo(json("{'type':'pong','id':'b'}"));
        sendNotDrained(a, "{\"type\":\"ping\",\"id\":\"after\"}");
        assertThat(nextNotDrained(a)).isEqualTo(json("{'type':'pong','id':'after'}"));
    }
}
