package io.signaling.application.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.Cluster;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.testing.RecordingMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receiving side of envelopes: a number seen twice is dropped, a skipped one is counted as a
 * gap and the local peers sharing a room with the origin are told; delivery goes on in order.
 */
class SignalingClusterSequenceTest {

    private static final RoomId ROOM = RoomId.of("room");
    private static final NodeId ORIGIN = NodeId.of("origin");
    private static final PeerId REMOTE = PeerId.of("remote");

    private final InMemoryCluster store = new InMemoryCluster();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<Long> lost = new CopyOnWriteArrayList<>();
    private final List<Set<PeerId>> lostPeers = new CopyOnWriteArrayList<>();
    private SignalingCluster node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
    }

    private Envelope envelope(long sequence, PeerId to, String text) {
        return new Envelope(ORIGIN, sequence, to, ROOM, text, null, null, System.currentTimeMillis());
    }

    @Test
    void duplicatesAreDroppedAndGapsCountedAndReportedToThePeersSharingARoomWithTheOrigin() throws Exception {
        Cluster ports = store.node(Duration.ofSeconds(30));
        node = SignalingCluster.builder(ports).metrics(metrics).build();
        node.start(new SignalingCluster.LocalNode() {
            @Override
            public void deliver(RoomId room, PeerId to, String text, Envelope.Change change) {
                delivered.add(text);
            }

            @Override
            public void evicted(RoomId room, List<PeerId> removed, List<Member> remaining) {
            }

            @Override
            public void lost(Set<PeerId> affected, long missing) {
                lost.add(missing);
                lostPeers.add(affected);
            }

            @Override
            public void fence() {
            }
        });
        // A local peer that shares the room with a peer of the origin node, and one that does not.
        store.rooms().join(ROOM, new Member(REMOTE, ORIGIN), 10);
        PeerId local = PeerId.of("local");
        PeerId elsewhere = PeerId.of("elsewhere");
        node.rooms().join(ROOM, local, 10);
        node.rooms().join(RoomId.of("other"), elsewhere, 10);

        NodeId self = node.node();
        store.inbox().publish(self, envelope(1, local, "one"));
        store.inbox().publish(self, envelope(2, local, "two"));
        store.inbox().publish(self, envelope(2, local, "two again"));
        store.inbox().publish(self, envelope(5, local, "five"));
        store.inbox().publish(self, envelope(6, local, "six"));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 4);

        assertThat(delivered).containsExactly("one", "two", "five", "six");
        assertThat(metrics.count("signaling.cluster.duplicates")).isEqualTo(1);
        assertThat(metrics.count("signaling.cluster.gaps")).isEqualTo(2);
        assertThat(lost).containsExactly(2L);
        assertThat(lostPeers).containsExactly(Set.of(local));
    }
}
