package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.application.rooms.RoomAdmin;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.log.Logger;
import io.signaling.ports.signaling.TestMessageCodec;
import io.signaling.ports.testing.RecordingLogger;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.testing.RecordingTracer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The room management use case on one node, with fake connections: what each action does to the
 * peers, and that each is logged with who asked, counted by outcome and traced.
 */
class RoomAdminTest {

    private final FakeHub hub = new FakeHub();
    private final RecordingLogger logs = new RecordingLogger();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final RecordingTracer tracer = new RecordingTracer();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final SignalingService service = SignalingService.builder(new TestMessageCodec())
            .peerIds(() -> PeerId.of("peer" + ids.incrementAndGet()))
            .build();
    private final RoomAdmin admin = RoomAdmin.builder(service.roomControl()).loggers(logs).metrics(metrics)
            .tracer(tracer).build();

    private FakeConnection joined(String room) {
        FakeConnection connection = hub.open("c" + connections.incrementAndGet());
        service.onOpen(connection);
        service.onText(connection, "{\"type\":\"join\",\"room\":\"" + room + "\"}");
        return connection;
    }

    private static String last(FakeConnection connection) {
        List<String> sent = connection.sent();
        return sent.get(sent.size() - 1);
    }

    @Test
    void eachActionIsLoggedWithItsActorCountedAndTraced() {
        FakeConnection a = joined("r");
        FakeConnection b = joined("r");

        assertThat(admin.remove(RoomId.of("r"), PeerId.of("peer1"), "ops-alice")).isEqualTo(RoomAdmin.Removal.REMOVED);
        assertThat(last(a)).isEqualTo("{\"type\":\"left\",\"room\":\"r\",\"reason\":\"removed\"}");
        assertThat(last(b)).isEqualTo("{\"type\":\"peer-left\",\"room\":\"r\",\"peerId\":\"peer1\",\"reason\":\"leave\"}");
        assertThat(admin.remove(RoomId.of("r"), PeerId.of("peer1"), "ops-alice")).isEqualTo(RoomAdmin.Removal.NOT_FOUND);
        assertThat(admin.close(RoomId.of("r"), RoomAdmin.ADMIN_LISTENER)).contains(1);
        assertThat(last(b)).isEqualTo("{\"type\":\"left\",\"room\":\"r\",\"reason\":\"closed\"}");
        assertThat(admin.close(RoomId.of("r"), RoomAdmin.ADMIN_LISTENER)).isEmpty();
        assertThat(service.roomRegistry().peerCount()).isZero();

        List<RecordingLogger.Event> actions = logs.eventsWithMessage("room admin action");
        assertThat(actions).hasSize(4);
        assertThat(actions.get(0).level()).isEqualTo(Logger.Level.INFO);
        assertThat(actions.get(0).get("action")).isEqualTo("remove");
        assertThat(actions.get(0).get("actor")).isEqualTo("ops-alice");
        assertThat(actions.get(0).get("peer_id")).isEqualTo("peer1");
        assertThat(actions.get(0).get("outcome")).isEqualTo("removed");
        assertThat(actions.get(1).get("outcome")).isEqualTo("not_found");
        assertThat(actions.get(2).get("actor")).isEqualTo("admin listener");
        assertThat(actions.get(2).get("action")).isEqualTo("close");

        assertThat(metrics.counters("signaling.rooms.admin.actions")).containsOnlyKeys(
                Map.of("action", "remove", "outcome", "removed"), Map.of("action", "remove", "outcome", "not_found"),
                Map.of("action", "close", "outcome", "ok"), Map.of("action", "close", "outcome", "not_found"));
        assertThat(metrics.counters("signaling.rooms.admin.actions")
                .get(Map.of("action", "close", "outcome", "ok")).count()).isEqualTo(1.0);

        RecordingTracer.RecordedSpan span = tracer.spans("signaling.rooms.remove").get(0);
        assertThat(span.isEnded()).isTrue();
        assertThat(span.attributeValue("signaling.admin.actor")).isEqualTo("ops-alice");
        assertThat(span.attributeValue("signaling.room")).isEqualTo("r");
        assertThat(tracer.spans("signaling.rooms.close")).hasSize(2);
    }

    @Test
    void listAndInspectShowTheRoomsInNameOrderWithTheirPeers() {
        joined("b");
        joined("a");
        joined("b");
        assertThat(admin.list(null, 10, "x")).extracting(r -> r.room().value() + ":" + r.peers())
                .containsExactly("a:1", "b:2");
        assertThat(admin.list(RoomId.of("a"), 10, "x")).extracting(r -> r.room().value()).containsExactly("b");
        RoomAdmin.Room b = admin.room(RoomId.of("b"), "x").orElseThrow();
        assertThat(b.peers()).extracting(p -> p.peerId().value()).containsExactly("peer1", "peer3");
        assertThat(b.peers().get(0).protocol()).isEqualTo("v1");
        assertThat(b.peers().get(0).state()).isEqualTo("connected");
        assertThat(b.peers().get(0).joinedAtMillis()).isPositive();
        assertThat(b.createdAtMillis()).isPositive().isLessThanOrEqualTo(b.peers().get(1).joinedAtMillis());
        assertThat(admin.room(RoomId.of("none"), "x")).isEmpty();
    }
}
