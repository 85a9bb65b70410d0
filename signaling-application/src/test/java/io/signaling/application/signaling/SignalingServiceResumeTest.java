package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.signaling.MiniJson;
import io.signaling.ports.signaling.ResumeSettings;
import io.signaling.ports.signaling.SignalingSettings;
import io.signaling.ports.signaling.TestMessageCodec;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.websocket.CloseCodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The v1.1 session state machine through the service: suspend, buffer, replay, expiry, overflow,
 * replace, client seq, failed resumes. Time is a manual clock and scheduler: no sleeps.
 */
class SignalingServiceResumeTest {

    private static final SignalingSettings SETTINGS = new SignalingSettings(4, 1000, 1000, 4096,
            Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(10));
    private static final Duration WINDOW = Duration.ofSeconds(15);

    private final FakeHub hub = new FakeHub();
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private SignalingService service = build(new ResumeSettings(WINDOW, 8, 1 << 20), false);

    private SignalingService build(ResumeSettings resume, boolean auth) {
        SignalingService.Builder b = SignalingService.builder(new TestMessageCodec())
                .settings(SETTINGS)
                .peerIds(() -> PeerId.of("peer" + ids.incrementAndGet()))
                .nanoTime(clock)
                .scheduler(scheduler)
                .random(new Random(7))
                .metrics(metrics)
                .resume(resume);
        if (auth) {
            b.accessTokens(token -> {
                throw new AssertionError("the fake connections carry their grant already");
            });
        }
        return b.build();
    }

    /** One client: its current connection and everything it read. */
    private final class Client {
        FakeConnection connection;
        String peerId;
        String token;
        long lastSeq;
        final List<Map<String, Object>> received = new ArrayList<>();
        int read;
        Map<String, Object> welcome;

        Client(boolean v11) {
            FakeConnection c = hub.open("conn-" + connections.incrementAndGet());
            connect(v11 ? c.v11() : c);
        }

        private void connect(FakeConnection c) {
            connection = c;
            connectionRead = 0;
            service.onOpen(c);
            welcome = next();
            assertThat(welcome).containsEntry("type", "welcome");
            peerId = (String) welcome.get("peerId");
            token = (String) welcome.get("resumeToken");
        }

        /** Reads what arrived on the current connection since the last look. */
        private void pull() {
            List<String> sent = connection.sent();
            for (int i = connectionRead; i < sent.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) longs(MiniJson.parse(sent.get(i)));
                received.add(m);
                if (m.get("seq") instanceof Number n) {
                    lastSeq = n.longValue();
                }
            }
            connectionRead = sent.size();
        }

        int connectionRead;

        Map<String, Object> next() {
            pull();
            assertThat(received).as("a message for %s", peerId).hasSizeGreaterThan(read);
            return received.get(read++);
        }

        List<Map<String, Object>> unread() {
            pull();
            List<Map<String, Object>> rest = new ArrayList<>(received.subList(read, received.size()));
            read = received.size();
            return rest;
        }

        void send(String json) {
            service.onText(connection, json);
        }

        Client join(String room) {
            send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            assertThat(next()).containsEntry("type", "joined");
            return this;
        }

        /** The socket dies without a close frame. */
        void drop() {
            connection.close(CloseCodes.ABNORMAL, "");
            service.onClose(connection, CloseCodes.ABNORMAL, "");
        }

        /** Connects again presenting the token and lastSeq; returns the welcome. */
        Map<String, Object> resume(String presentedToken, long presentedLastSeq) {
            FakeConnection c = hub.open("conn-" + connections.incrementAndGet())
                    .v11("resume", presentedToken, "lastSeq", Long.toString(presentedLastSeq));
            // What the old socket still held is gone with it (the test passes lastSeq explicitly when it matters).
            read = received.size();
            connect(c);
            return welcome;
        }

        Map<String, Object> resume() {
            return resume(token, lastSeq);
        }
    }

    /** Whole numbers as {@code Long}, whatever the parser made of them. */
    private static Object longs(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, longs(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SignalingServiceResumeTest::longs).toList();
        }
        return value;
    }

    private static String relay(String to, int n) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"payload\":" + n + "}";
    }

    private static List<Object> payloads(List<Map<String, Object>> messages) {
        return messages.stream().filter(m -> "offer".equals(m.get("type"))).map(m -> m.get("payload")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> limitsOf(Map<String, Object> welcome) {
        return (Map<String, Object>) welcome.get("limits");
    }

    private static long count(List<Map<String, Object>> messages, String type) {
        return messages.stream().filter(m -> type.equals(m.get("type"))).count();
    }

    @Test
    void v11WelcomeCarriesTheTokenAndWindowAndEveryLaterMessageASeq() {
        Client a = new Client(true);
        assertThat(a.token).matches("peer1\\.[A-Za-z0-9_-]{32}");
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>) a.welcome.get("limits");
        assertThat(limits).containsEntry("resumeWindowMs", 15000L);
        assertThat(a.welcome).doesNotContainKeys("seq", "resumed");
        a.join("r");
        a.send("{\"type\":\"ping\"}");
        assertThat(a.received.get(1)).containsEntry("seq", 1L);
        assertThat(a.next()).containsEntry("type", "pong").containsEntry("seq", 2L);
    }

    @Test
    void v1ConnectionsCarryNeitherSeqNorToken() {
        Client a = new Client(false);
        assertThat(a.welcome).doesNotContainKeys("resumeToken", "resumed");
        assertThat(limitsOf(a.welcome)).doesNotContainKey("resumeWindowMs");
        a.join("r");
        assertThat(a.received.get(1)).doesNotContainKey("seq");
        a.drop();
        Client b = new Client(false).join("r");
        assertThat(b.received.get(1)).containsEntry("peers", List.of());
    }

    @Test
    void anAbnormalLossSuspendsAndAResumeReplaysEverythingAfterLastSeqWithNoPeerLeft() {
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        assertThat(a.next()).containsEntry("type", "peer-joined");
        b.send(relay(a.peerId, 1));
        assertThat(payloads(a.unread())).containsExactly(1L);
        long seenByA = a.lastSeq;
        // Written into the dying socket, never read by the client.
        b.send(relay(a.peerId, 2));
        a.drop();
        b.send(relay(a.peerId, 3));
        b.send(relay(a.peerId, 4));
        clock.advance(Duration.ofSeconds(10));
        Map<String, Object> welcome = a.resume(a.token, seenByA);
        assertThat(welcome).containsEntry("peerId", "peer1").containsEntry("resumed", true)
                .containsEntry("room", "r").containsEntry("lastClientSeq", 0L);
        assertThat(welcome.get("resumeToken")).isNotEqualTo(a.received.get(0).get("resumeToken"));
        List<Map<String, Object>> replayed = a.unread();
        assertThat(payloads(replayed)).containsExactly(2L, 3L, 4L);
        assertThat(replayed).extracting(m -> m.get("seq")).containsExactly(seenByA + 1, seenByA + 2, seenByA + 3);
        b.send(relay(a.peerId, 5));
        assertThat(payloads(a.unread())).containsExactly(5L);
        assertThat(b.unread()).isEmpty();
        assertThat(metrics.count("signaling.sessions.suspended")).isEqualTo(1);
        assertThat(metrics.count("signaling.sessions.resumed", "node", "same")).isEqualTo(1);
        assertThat(metrics.count("signaling.sessions.replayed")).isEqualTo(3);
        assertThat(metrics.timer("signaling.sessions.resume.latency").orElseThrow().totalNanos())
                .isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void theWindowRunningOutEndsTheSessionWithTheReasonOfTheLoss() {
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        a.unread();
        a.connection.close(CloseCodes.GOING_AWAY, CloseCodes.IDLE_TIMEOUT_REASON);
        service.onClose(a.connection, CloseCodes.GOING_AWAY, CloseCodes.IDLE_TIMEOUT_REASON);
        scheduler.advance(WINDOW.minusMillis(1));
        assertThat(b.unread()).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        List<Map<String, Object>> seen = b.unread();
        assertThat(seen).singleElement().satisfies(m -> assertThat(m).containsEntry("type", "peer-left")
                .containsEntry("peerId", a.peerId).containsEntry("reason", "timeout"));
        assertThat(metrics.count("signaling.sessions.expired")).isEqualTo(1);
        // Too late: a new session, and nobody hears of the old one again.
        Map<String, Object> welcome = a.resume();
        assertThat(welcome).containsEntry("resumed", false).containsEntry("peerId", "peer3");
        assertThat(b.unread()).isEmpty();
    }

    @Test
    void aCloseFrameOrALeaveEndsTheSessionAtOnce() {
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        service.onClose(a.connection, CloseCodes.NORMAL, "bye");
        assertThat(b.unread()).singleElement().satisfies(m -> assertThat(m).containsEntry("type", "peer-left")
                .containsEntry("reason", "disconnect"));
        Map<String, Object> welcome = a.resume();
        assertThat(welcome).containsEntry("resumed", false);
        assertThat(metrics.count("signaling.sessions.suspended")).isZero();
    }

    @Test
    void overflowEndsTheSuspendedSession() {
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        a.drop();
        for (int i = 1; i <= 9; i++) {
            b.send(relay(a.peerId, i));
        }
        assertThat(b.unread()).isEmpty();
        scheduler.advance(Duration.ZERO);
        assertThat(b.unread()).singleElement().satisfies(m -> assertThat(m).containsEntry("type", "peer-left")
                .containsEntry("reason", "disconnect"));
        assertThat(metrics.count("signaling.sessions.buffer.overflows")).isEqualTo(1);
        assertThat(a.resume()).containsEntry("resumed", false);
    }

    @Test
    void aHalfOpenSocketIsClosedWith4001AndItsLateFramesAreIgnored() {
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        a.unread();
        FakeConnection old = a.connection;
        Map<String, Object> welcome = a.resume();
        assertThat(welcome).containsEntry("resumed", true);
        assertThat(old.closeCode()).isEqualTo(4001);
        service.onText(old, relay(b.peerId, 99));
        service.onClose(old, CloseCodes.ABNORMAL, "");
        b.unread();
        assertThat(payloads(b.received)).isEmpty();
        assertThat(count(b.received, "peer-left")).isZero();
        a.send(relay(b.peerId, 1));
        assertThat(payloads(b.unread())).containsExactly(1L);
        assertThat(metrics.timer("signaling.sessions.resume.latency").map(t -> t.count()).orElse(0L)).isZero();
    }

    @Test
    void clientSeqIsProcessedAtMostOnceAndReportedOnResume() {
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        a.unread();
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":1,\"seq\":1}");
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":2,\"seq\":2}");
        a.drop();
        Map<String, Object> welcome = a.resume();
        assertThat(welcome).containsEntry("lastClientSeq", 2L);
        // The client resends what it is not sure of; only the new one is processed.
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":2,\"seq\":2}");
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":3,\"seq\":3}");
        a.send("{\"type\":\"offer\",\"to\":\"" + b.peerId + "\",\"payload\":4}");
        assertThat(payloads(b.unread())).containsExactly(1L, 2L, 3L, 4L);
        assertThat(a.unread()).isEmpty();
        a.send("{\"type\":\"ping\",\"id\":\"x\",\"seq\":\"7\"}");
        assertThat(a.next()).containsEntry("type", "error").containsEntry("code", "bad-message").containsEntry("id", "x");
    }

    @Test
    void aStaleLastSeqGetsANewSessionAndTheRoomSeesOnePeerLeft() {
        service = build(new ResumeSettings(WINDOW, 2, 1 << 20), false);
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        for (int i = 1; i <= 4; i++) {
            b.send(relay(a.peerId, i));
        }
        a.drop();
        Map<String, Object> welcome = a.resume(a.token, 1);
        assertThat(welcome).containsEntry("resumed", false).doesNotContainEntry("peerId", "peer1");
        assertThat(b.unread()).filteredOn(m -> "peer-left".equals(m.get("type"))).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("peerId", "peer1").containsEntry("reason", "disconnect"));
        assertThat(metrics.count("signaling.sessions.resume.failures", "check", "sequence")).isEqualTo(1);
    }

    @Test
    void aLastSeqBeyondWhatWasSentFailsToo() {
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        a.drop();
        assertThat(a.resume(a.token, a.lastSeq + 5)).containsEntry("resumed", false);
        assertThat(count(b.unread(), "peer-left")).isEqualTo(1);
    }

    @Test
    void aUsedTokenGetsANewSessionAndDoesNotTouchTheResumedOne() {
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        String first = a.token;
        a.drop();
        assertThat(a.resume()).containsEntry("resumed", true);
        FakeConnection live = a.connection;
        Client thief = new Client(true);
        Map<String, Object> welcome = thief.resume(first, 0);
        assertThat(welcome).containsEntry("resumed", false);
        assertThat(welcome.get("peerId")).isNotEqualTo(a.peerId);
        assertThat(live.isOpen()).isTrue();
        assertThat(b.unread()).isEmpty();
        a.send(relay(b.peerId, 1));
        assertThat(payloads(b.unread())).containsExactly(1L);
        // A forged secret for a suspended session does not touch it either.
        a.drop();
        String forged = a.peerId + "." + "A".repeat(32);
        assertThat(thief.resume(forged, 0)).containsEntry("resumed", false);
        assertThat(b.unread()).isEmpty();
        assertThat(a.resume()).containsEntry("resumed", true);
    }

    @Test
    void underAuthTheResumeNeedsTheSameIdentity() {
        service = build(new ResumeSettings(WINDOW, 8, 1 << 20), true);
        AccessGrant alice = new AccessGrant("alice", RoomId.of("r"), Instant.now().plusSeconds(600));
        AccessGrant mallory = new AccessGrant("mallory", RoomId.of("r"), Instant.now().plusSeconds(600));
        Client a = new Client(false);
        a.connection.close(1000, "");
        a.connect(hub.open("conn-a").v11().granted(alice));
        a.join("r");
        Client b = new Client(false);
        b.connect(hub.open("conn-b").v11().granted(alice));
        b.join("r");
        a.drop();
        FakeConnection wrong = hub.open("conn-w").v11("resume", a.token, "lastSeq", Long.toString(a.lastSeq))
                .granted(mallory);
        service.onOpen(wrong);
        @SuppressWarnings("unchecked")
        Map<String, Object> welcome = (Map<String, Object>) longs(MiniJson.parse(wrong.sent().get(0)));
        assertThat(welcome).containsEntry("resumed", false).containsEntry("identity", "mallory");
        assertThat(count(b.unread(), "peer-left")).isEqualTo(1);
        assertThat(metrics.count("signaling.sessions.resume.failures", "check", "identity")).isEqualTo(1);
    }

    @Test
    void underAuthTheSameIdentityResumes() {
        service = build(new ResumeSettings(WINDOW, 8, 1 << 20), true);
        AccessGrant alice = new AccessGrant("alice", RoomId.of("r"), Instant.now().plusSeconds(600));
        Client a = new Client(false);
        a.connect(hub.open("conn-a").v11().granted(alice));
        a.join("r");
        a.drop();
        FakeConnection again = hub.open("conn-a2").v11("resume", a.token, "lastSeq", Long.toString(a.lastSeq))
                .granted(alice);
        service.onOpen(again);
        assertThat(again.sent().get(0)).contains("\"resumed\":true").contains("\"identity\":\"alice\"");
    }

    @Test
    void withTheWindowAtZeroNothingIsSuspendedAndNoTokenIsHandedOut() {
        service = build(ResumeSettings.off(), false);
        Client a = new Client(true).join("r");
        Client b = new Client(true).join("r");
        assertThat(a.welcome).doesNotContainKey("resumeToken");
        assertThat(limitsOf(a.welcome)).containsEntry("resumeWindowMs", 0L);
        a.drop();
        assertThat(b.unread()).singleElement().satisfies(m -> assertThat(m).containsEntry("type", "peer-left")
                .containsEntry("seq", 2L));
    }

    @Test
    void theDrainSuspendsV11SessionsWithTheTokenInGoaway() {
        Client a = new Client(true).join("r");
        Client b = new Client(false).join("r");
        service.drain(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofSeconds(9));
        List<Map<String, Object>> toA = a.unread();
        assertThat(toA).filteredOn(m -> "goaway".equals(m.get("type"))).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("reconnect", true).containsEntry("resumeToken", a.token));
        assertThat(a.connection.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
        service.onClose(a.connection, CloseCodes.GOING_AWAY, "server shutting down");
        // a is suspended, not gone: b (a v1 peer, drained normally) never heard of a leaving.
        assertThat(b.unread()).noneSatisfy(m -> assertThat(m).containsEntry("peerId", a.peerId)
                .containsEntry("type", "peer-left"));
        assertThat(metrics.count("signaling.sessions.suspended")).isEqualTo(1);
    }
}
