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
    /** Renewed every second; long enough that a starved keeper never loses it and fences the node. */
    private static final Duration LEASE = Duration.ofSeconds(3);

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

    private SignalingCluster.LocalNode recording() {
        return new SignalingCluster.LocalNode() {
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
        };
    }

    @Test
    void aMarkRevealsTheEnvelopesMissingBeforeItAndDeliversNothing() {
        node = SignalingCluster.builder(store.node(Duration.ofSeconds(30))).metrics(metrics).build();
        node.start(recording());
        store.rooms().join(ROOM, new Member(REMOTE, ORIGIN), 10);
        PeerId local = PeerId.of("local");
        node.rooms().join(ROOM, local, 10);
        store.inbox().publish(node.node(), envelope(1, local, "one"));
        store.inbox().publish(node.node(), Envelope.mark(ORIGIN, 4, System.currentTimeMillis()));
        store.inbox().publish(node.node(), Envelope.mark(ORIGIN, 5, System.currentTimeMillis()));
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("signaling.cluster.deliveries", "direction", "in") >= 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> !lost.isEmpty());
        assertThat(delivered).containsExactly("one");
        assertThat(lost).containsExactly(2L);
        assertThat(lostPeers).containsExactly(Set.of(local));
        assertThat(metrics.count("signaling.cluster.gaps")).isEqualTo(2);
    }

    @Test
    void afterTheStoreLostItsStateEveryNodeForwardedToGetsAMark() {
        NodeId receiver = NodeId.of("receiver");
        List<Envelope> received = new CopyOnWriteArrayList<>();
        store.inbox().open(receiver, received::add);
        node = SignalingCluster.builder(store.node(LEASE)).metrics(metrics).build();
        node.start(recording());
        node.forward(receiver, ROOM, REMOTE, "one", null, e -> { });
        node.forward(receiver, ROOM, REMOTE, "two", null, e -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        store.wipe();
        await("a mark after the reset").atMost(Duration.ofSeconds(30)).until(() -> received.size() == 3);
        assertThat(received.get(2).isMark()).isTrue();
        assertThat(received.get(2).sequence()).isEqualTo(3);
        assertThat(received.get(2).origin()).isEqualTo(node.node());
    }

    @Test
    void aRefusedRelayFreesItsNumberARefusedNoticeKeepsItAndAMarkRevealsIt() {
        NodeId receiver = NodeId.of("receiver");
        List<Envelope> received = new CopyOnWriteArrayList<>();
        store.inbox().open(receiver, received::add);
        java.util.concurrent.atomic.AtomicBoolean refusing = new java.util.concurrent.atomic.AtomicBoolean(true);
        io.signaling.ports.cluster.NodeInbox inbox = new io.signaling.ports.cluster.NodeInbox() {
            @Override
            public java.util.concurrent.CompletionStage<Void> publish(NodeId to, Envelope envelope) {
                return refusing.get()
                        ? java.util.concurrent.CompletableFuture.failedFuture(
                                new io.signaling.ports.cluster.ClusterUnavailableException("refused"))
                        : store.inbox().publish(to, envelope);
            }

            @Override
            public Reader open(NodeId self, java.util.function.Consumer<Envelope> handler) {
                return store.inbox().open(self, handler);
            }

            @Override
            public void delete(NodeId node) {
                store.inbox().delete(node);
            }
        };
        Cluster memory = store.node(LEASE);
        node = SignalingCluster.builder(new Cluster(memory.rooms(), inbox, memory.lease(), memory.health(), memory.closer()))
                .metrics(metrics).build();
        node.start(recording());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        node.forward(receiver, ROOM, REMOTE, "relay", null, failures::add);
        node.forward(receiver, ROOM, REMOTE, "notice", new Envelope.Change(PeerId.of("gone"), null), failures::add);
        assertThat(failures).hasSize(2);
        assertThat(metrics.count("signaling.cluster.delivery.failures")).isEqualTo(2);
        refusing.set(false);
        await("the mark after the refused notice").atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        node.forward(receiver, ROOM, REMOTE, "after", null, failures::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(received.get(0)).isEqualTo(Envelope.mark(node.node(), 2, received.get(0).sentAtMillis()));
        assertThat(received.get(1).sequence()).isEqualTo(3);
        assertThat(received.get(1).text()).isEqualTo("after");
    }
}
