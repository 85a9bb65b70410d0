package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.signaling.TestMessageCodec;
import io.signaling.ports.websocket.CloseCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SignalingService#stop} on its own scheduler and the real clock. */
class SignalingServiceStopTest {

    @Test
    void stopClosesEveryConnectionWith1001BeforeTheDeadline() {
        FakeHub hub = new FakeHub();
        SignalingService service = SignalingService.builder(new TestMessageCodec()).build();
        List<FakeConnection> connections = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            FakeConnection connection = hub.open("c" + i);
            service.onOpen(connection);
            service.onText(connection, "{\"type\":\"join\",\"room\":\"r" + (i % 4) + "\"}");
            connections.add(connection);
        }
        long started = System.nanoTime();
        boolean clean = service.stop(Duration.ofMillis(1500));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(clean).isTrue();
        assertThat(tookMillis).as("bounded by the drain timeout").isLessThan(2000);
        assertThat(connections).allSatisfy(c -> {
            assertThat(c.isOpen()).isFalse();
            assertThat(c.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
            assertThat(c.sent()).contains("{\"type\":\"goaway\",\"reason\":\"shutdown\",\"reconnect\":true}");
        });
        // The last of each room got everyone else's peer-left with reason shutdown.
        long shutdownNotices = connections.stream().flatMap(c -> c.sent().stream())
                .filter(t -> t.contains("\"peer-left\"") && t.contains("\"shutdown\"")).count();
        assertThat(shutdownNotices).isEqualTo(4 * (4 + 3 + 2 + 1));
        assertThat(service.roomRegistry().roomCount()).isZero();
    }
}
