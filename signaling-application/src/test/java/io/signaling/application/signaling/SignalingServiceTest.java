package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.PeerId;
import io.signaling.ports.signaling.MiniJson;
import io.signaling.ports.signaling.SignalingSettings;
import io.signaling.ports.signaling.TestMessageCodec;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.websocket.CloseCodes;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SignalingServiceTest {

    private static final SignalingSettings SETTINGS = new SignalingSettings(3, 2.5, 4, 512,
            Duration.ofSeconds(7), Duration.ofSeconds(21), Duration.ofSeconds(10));

    private final FakeHub hub = new FakeHub();
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final AtomicInteger ids = new AtomicInteger();
    private final SignalingService service = SignalingService.builder(new TestMessageCodec())
            .settings(SETTINGS)
            .peerIds(() -> PeerId.of("peer" + ids.incrementAndGet()))
            .nanoTime(clock)
            .scheduler(scheduler)
            .random(new Random(7))
            .metrics(metrics)
            .build();
    private final AtomicInteger connections = new AtomicInteger();
    /** Whether each client frame first lets one token's worth of time pass, to stay under the rate limit. */
    private boolean paced = true;

    /** One client: a fake connection, what it received, decoded. */
    private final class Client {
        final FakeConnection connection;
        final String peerId;
        int read;

        Client() {
            connection = hub.open("conn-" + connections.incrementAndGet());
            service.onOpen(connection);
            Map<String, Object> welcome = next();
            assertThat(welcome).containsEntry("type", "welcome");
            peerId = (String) welcome.get("peerId");
        }

        void send(String json) {
            if (paced) {
                clock.advance(Duration.ofMillis(400));
            }
            service.onText(connection, json);
        }

        List<Map<String, Object>> all() {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String text : connection.sent()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> message = (Map<String, Object>) MiniJson.parse(text);
                out.add(message);
            }
            return out;
        }

        /** The next message not read yet; fails when there is none. */
        Map<String, Object> next() {
            List<Map<String, Object>> all = all();
            assertThat(all).as("a message for %s", connection.id()).hasSizeGreaterThan(read);
            return all.get(read++);
        }

        List<Map<String, Object>> unread() {
            List<Map<String, Object>> all = all();
            List<Map<String, Object>> rest = all.subList(read, all.size());
            read = all.size();
            return rest;
        }

        void assertNothingMore() {
            assertThat(unread()).isEmpty();
        }

        Client join(String room) {
            send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            assertThat(next()).containsEntry("type", "joined");
            return this;
        }

        void drop(int code, String reason) {
            hub.remove(connection.id());
            service.onClose(connection, code, reason);
        }
    }

    private static void assertError(Map<String, Object> message, String code, String id) {
        assertThat(message).containsEntry("type", "error").containsEntry("code", code);
        assertThat((String) message.get("message")).isNotBlank();
        if (id == null) {
            assertThat(message).doesNotContainKey("id");
        } else {
            assertThat(message).containsEntry("id", id);
        }
    }

    @Test
    void welcomeReportsThePeerIdAndTheEffectiveLimits() {
        FakeConnection connection = hub.open("c1");
        service.onOpen(connection);
        assertThat(connection.sent()).containsExactly("{\"type\":\"welcome\",\"peerId\":\"peer1\",\"limits\":"
                + "{\"maxMessageBytes\":512,\"maxPeersPerRoom\":3,\"messagesPerSecond\":2.5,\"burst\":4,"
                + "\"pingIntervalMs\":7000,\"idleTimeoutMs\":21000}}");
        assertThat(connection.attachment()).isInstanceOf(Session.class);
    }

    @Test
    void welcomeGoesOutEvenBeforeTheHubKnowsTheConnection() {
        FakeConnection unregistered = new FakeConnection("late");
        service.onOpen(unregistered);
        assertThat(unregistered.sent()).singleElement().asString().contains("\"welcome\"");
    }

    @Test
    void joinRepliesJoinedAndTellsTheOthersWithRoles() {
        Client a = new Client();
        Client b = new Client();
        a.send("{\"type\":\"join\",\"room\":\"r1\",\"id\":\"j-a\"}");
        assertThat(a.next()).isEqualTo(Map.of("type", "joined", "id", "j-a", "room", "r1", "peerId", a.peerId,
                "peers", List.of(), "polite", false));
        b.send("{\"type\":\"join\",\"room\":\"r1\",\"id\":\"j-b\"}");
        assertThat(b.next()).isEqualTo(Map.of("type", "joined", "id", "j-b", "room", "r1", "peerId", b.peerId,
                "peers", List.of(a.peerId), "polite", false));
        assertThat(a.next()).isEqualTo(Map.of("type", "peer-joined", "room", "r1", "peerId", b.peerId, "polite", true));
        a.assertNothingMore();
        b.assertNothingMore();
    }

    @Test
    void peerJoinedArrivesBeforeTheNewcomersFirstRelayAndRelaysKeepTheirOrder() {
        Client a = new Client().join("r");
        Client b = new Client();
        b.send("{\"type\":\"join\",\"room\":\"r\"}");
        for (int i = 0; i < 3; i++) {
            b.send("{\"type\":\"candidate\",\"to\":\"" + a.peerId + "\",\"payload\":{\"n\":" + i + "}}");
        }
        List<Map<String, Object>> got = a.unread();
        assertThat(got).extracting(m -> m.get("type")).containsExactly("peer-joined", "candidate", "candidate", "candidate");
        assertThat(got.subList(1, 4)).extracting(m -> (Object) ((Map<?, ?>) m.get("payload")).get("n"))
                .containsExactly(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.valueOf(2));
    }

    @Test
    void relayCarriesFromToAndThePayloadUnchanged() {
        Client a = new Client().join("r");
        Client b = new Client().join("r");
        a.unread();
        String payload = "{\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\", \"type\" : \"offer\",\"x\":[1,2.50,{\"y\":null}]}";
        a.send("{\"type\":\"offer\",\"id\":\"o1\",\"to\":\"" + b.peerId + "\",\"payload\":" + payload + ",\"extra\":1}");
        assertThat(b.connection.sent()).last().isEqualTo("{\"type\":\"offer\",\"from\":\"" + a.peerId + "\",\"to\":\""
                + b.peerId + "\",\"payload\":" + payload + "}");
        b.send("{\"type\":\"candidate\",\"to\":\"" + a.peerId + "\",\"payload\":null}");
        assertThat(a.next()).containsEntry("type", "candidate").containsEntry("payload", MiniJson.NULL)
                .containsEntry("from", b.peerId);
        b.send("{\"type\":\"answer\",\"to\":\"" + a.peerId + "\",\"payload\":\"x\"}");
        assertThat(a.next()).containsEntry("type", "answer").containsEntry("payload", "x");
        a.assertNothingMore();
        assertThat(metrics.timerCount("signaling.relay")).isEqualTo(3);
    }

    @Test
    void everyErrorOfTheContractEchoesTheId() {
        Client a = new Client();
        Client b = new Client().join("other");
        a.send("not json");
        assertError(a.next(), "bad-message", null);
        a.send("[1,2]");
        assertError(a.next(), "bad-message", null);
        a.send("{\"id\":\"1\"}");
        assertError(a.next(), "bad-message", "1");
        a.send("{\"type\":7,\"id\":\"2\"}");
        assertError(a.next(), "bad-message", "2");
        a.send("{\"type\":\"join\",\"room\":5,\"id\":\"3\"}");
        assertError(a.next(), "bad-message", "3");
        a.send("{\"type\":\"offer\",\"to\":\"x\",\"id\":\"4\"}");
        assertError(a.next(), "bad-message", "4");
        a.send("{\"type\":\"dance\",\"id\":\"5\"}");
        assertError(a.next(), "unknown-type", "5");
        a.send("{\"type\":\"join\",\"room\":\"no spaces\",\"id\":\"6\"}");
        assertError(a.next(), "invalid-room", "6");
        a.send("{\"type\":\"leave\",\"id\":\"7\"}");
        assertError(a.next(), "not-in-room", "7");
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":{},\"id\":\"8\"}");
        assertError(a.next(), "not-in-room", "8");
        a.join("mine");
        a.send("{\"type\":\"join\",\"room\":\"mine\",\"id\":\"9\"}");
        assertError(a.next(), "already-in-room", "9");
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":{},\"id\":\"10\"}");
        assertError(a.next(), "peer-not-found", "10");
        new Client().join("mine");
        new Client().join("mine");
        Client d = new Client();
        d.send("{\"type\":\"join\",\"room\":\"mine\",\"id\":\"11\"}");
        assertError(d.next(), "room-full", "11");
        b.assertNothingMore();
        a.send("{\"type\":\"ping\",\"id\":\"12\"}");
        assertThat(a.unread()).contains(Map.of("type", "pong", "id", "12"));

        assertThat(metrics.count("signaling.errors", "code", "bad-message")).isEqualTo(6);
        assertThat(metrics.count("signaling.errors", "code", "room-full")).isEqualTo(1);
        assertThat(metrics.count("signaling.messages", "type", "join", "outcome", "error")).isEqualTo(2);
        assertThat(metrics.count("signaling.messages", "type", "unknown", "outcome", "error")).isEqualTo(8);
        assertThat(metrics.count("signaling.messages", "type", "ping", "outcome", "ok")).isEqualTo(1);
        assertThat(metrics.gauge("signaling.rooms.active")).isEqualTo(2);
        assertThat(metrics.gauge("signaling.peers.active")).isEqualTo(4);
        assertThat(metrics.anyIdContains("mine")).as("no room name in a tag").isFalse();
        assertThat(metrics.anyIdContains(a.peerId)).as("no peer id in a tag").isFalse();
    }

    @Test
    void rateLimitDropsExcessFramesWithOneErrorPerSecondCarryingRetryAfter() {
        paced = false;
        Client a = new Client();
        for (int i = 0; i < 4; i++) {
            a.send("{\"type\":\"ping\",\"id\":\"" + i + "\"}");
        }
        assertThat(a.unread()).extracting(m -> m.get("type")).containsExactly("pong", "pong", "pong", "pong");
        a.send("{\"type\":\"ping\",\"id\":\"dropped-1\"}");
        Map<String, Object> error = a.next();
        assertError(error, "rate-limited", null);
        assertThat(error).containsEntry("retryAfterMs", BigDecimal.valueOf(400));
        a.send("{\"type\":\"ping\",\"id\":\"dropped-2\"}");
        a.assertNothingMore();

        clock.advance(Duration.ofMillis(400));
        a.send("{\"type\":\"ping\",\"id\":\"ok\"}");
        assertThat(a.next()).isEqualTo(Map.of("type", "pong", "id", "ok"));
        a.send("{\"type\":\"ping\",\"id\":\"dropped-3\"}");
        a.assertNothingMore();

        clock.advance(Duration.ofMillis(600));
        for (int i = 0; i < 3; i++) {
            a.send("{\"type\":\"ping\"}");
        }
        List<Map<String, Object>> after = a.unread();
        assertThat(after).extracting(m -> m.get("type")).containsExactly("pong", "error");
        assertThat(after.get(1)).containsEntry("code", "rate-limited").containsEntry("retryAfterMs", BigDecimal.valueOf(200));
        assertThat(metrics.count("signaling.messages", "type", "unknown", "outcome", "rate-limited")).isEqualTo(5);
        assertThat(metrics.count("signaling.errors", "code", "rate-limited")).isEqualTo(2);
        assertThat(a.connection.isOpen()).isTrue();
    }

    @Test
    void tooLargeAFrameIsAnErrorAndA1009Close() {
        Client a = new Client();
        a.send("{\"type\":\"ping\",\"pad\":\"" + "é".repeat(300) + "\"}");
        assertError(a.next(), "message-too-large", null);
        assertThat(a.connection.isOpen()).isFalse();
        assertThat(a.connection.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void leaveTellsTheOthersAndAllowsAnotherJoin() {
        Client a = new Client().join("r");
        Client b = new Client().join("r");
        a.unread();
        b.send("{\"type\":\"leave\",\"id\":\"bye\"}");
        assertThat(b.next()).isEqualTo(Map.of("type", "left", "id", "bye", "room", "r"));
        assertThat(a.next()).isEqualTo(Map.of("type", "peer-left", "room", "r", "peerId", b.peerId, "reason", "leave"));
        b.send("{\"type\":\"offer\",\"to\":\"" + a.peerId + "\",\"payload\":1}");
        assertError(b.next(), "not-in-room", null);
        a.assertNothingMore();
        b.join("s");
    }

    @Test
    void closeOfAnyKindTellsTheRoomMatesDisconnectOrTimeout() {
        Client a = new Client().join("r");
        Client b = new Client().join("r");
        Client c = new Client().join("r");
        a.unread();
        b.unread();
        b.drop(CloseCodes.ABNORMAL, "");
        assertThat(a.next()).isEqualTo(Map.of("type", "peer-left", "room", "r", "peerId", b.peerId, "reason", "disconnect"));
        assertThat(c.next()).containsEntry("reason", "disconnect");
        c.drop(CloseCodes.GOING_AWAY, CloseCodes.IDLE_TIMEOUT_REASON);
        assertThat(a.next()).isEqualTo(Map.of("type", "peer-left", "room", "r", "peerId", c.peerId, "reason", "timeout"));
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":1,\"id\":\"late\"}");
        assertError(a.next(), "peer-not-found", "late");
        assertThat(b.connection.sent()).noneMatch(t -> t.contains("\"offer\""));
        service.onClose(b.connection, CloseCodes.NORMAL, "");
        a.assertNothingMore();
        assertThat(metrics.gauge("signaling.peers.active")).isEqualTo(1);
    }

    @Test
    void drainRefusesJoinsThenGoesAwayPerConnectionAtRandomTimesWithinTheTimeout() {
        Client a = new Client().join("r");
        Client b = new Client().join("r");
        Client c = new Client();
        a.unread();
        long start = clock.getAsLong();
        CompletableFuture<Void> drained = service.drain(Duration.ofSeconds(10));
        assertThat(service.isDraining()).isTrue();
        assertThat(scheduler.pendingDelaysFrom(start)).hasSize(3)
                .allSatisfy(d -> assertThat(d).isBetween(0L, Duration.ofSeconds(9).toNanos()))
                .as("spread, not all at once").doesNotHaveDuplicates();

        c.send("{\"type\":\"join\",\"room\":\"r\",\"id\":\"late\"}");
        assertError(c.next(), "server-shutting-down", "late");
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":1}");
        assertThat(b.next()).containsEntry("type", "offer");
        c.send("{\"type\":\"ping\"}");
        assertThat(c.next()).containsEntry("type", "pong");

        List<Client> closedOrder = new ArrayList<>();
        while (closedOrder.size() < 3) {
            scheduler.advance(Duration.ofMillis(100));
            for (Client x : List.of(a, b, c)) {
                if (!x.connection.isOpen() && !closedOrder.contains(x)) {
                    closedOrder.add(x);
                    assertThat(x.connection.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
                    assertThat(x.connection.sent()).last().isEqualTo("{\"type\":\"goaway\",\"reason\":\"shutdown\",\"reconnect\":true}");
                    service.onClose(x.connection, CloseCodes.GOING_AWAY, "server shutting down");
                }
            }
            assertThat(clock.getAsLong() - start).isLessThanOrEqualTo(Duration.ofSeconds(9).toNanos());
        }
        assertThat(drained).isCompleted();
        Client first = closedOrder.get(0);
        if (first != c) {
            Client mate = first == a ? b : a;
            assertThat(mate.unread()).contains(Map.of("type", "peer-left", "room", "r", "peerId", first.peerId,
                    "reason", "shutdown"));
        }
        assertThat(metrics.gauge("signaling.rooms.active")).isZero();
    }

    @Test
    void aConnectionThatClosesByItselfDuringTheDrainIsNotWaitedFor() {
        Client a = new Client().join("r");
        CompletableFuture<Void> drained = service.drain(Duration.ofSeconds(10));
        assertThat(drained).isNotDone();
        a.drop(CloseCodes.NORMAL, "");
        assertThat(drained).isCompleted();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(a.connection.sent()).noneMatch(t -> t.contains("goaway"));
    }

    @Test
    void drainWithNoConnectionsCompletesAtOnce() {
        assertThat(service.drain(Duration.ofSeconds(1))).isCompleted();
        assertThat(service.stop(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void aConnectionOpenedDuringTheDrainIsWelcomedThenDrainedWithinTheRemainingTime() {
        Client a = new Client();
        long start = clock.getAsLong();
        CompletableFuture<Void> drained = service.drain(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));
        Client late = new Client();
        assertThat(scheduler.pendingDelaysFrom(start)).hasSize(2)
                .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(9).toNanos()));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(late.connection.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(a.connection.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(drained).isCompleted();
    }

    @Test
    void framesArrivingAfterGoawayAreIgnored() {
        Client a = new Client().join("r");
        service.drain(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(a.unread()).extracting(m -> m.get("type")).containsExactly("goaway");
        a.send("{\"type\":\"ping\"}");
        a.assertNothingMore();
    }

    @Test
    void stopDrainsAtOnceWhatTheSchedulerDidNotGetTo() {
        Client a = new Client().join("r");
        Client b = new Client().join("r");
        a.unread();
        // The manual scheduler never runs unless advanced: stop must still close everyone.
        assertThat(service.stop(Duration.ofMillis(50))).isFalse();
        assertThat(a.connection.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(b.connection.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(a.all()).extracting(m -> m.get("type")).contains("goaway");
        assertThat(b.all()).extracting(m -> m.get("type")).contains("goaway");
    }
}
