package io.signaling.ports.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.RoomDirectory.Admission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RoomDirectory} meets. An implementation's test extends this class;
 * {@link #newDirectory()} may be called several times per test and must return clients of one and
 * the same empty store (as separate nodes would hold).
 */
public abstract class RoomDirectoryContract {

    protected static final NodeId N1 = NodeId.of("n1");
    protected static final NodeId N2 = NodeId.of("n2");
    protected static final NodeId N3 = NodeId.of("n3");
    private static final RoomId R = RoomId.of("r");
    private static final RoomId S = RoomId.of("s");
    private static final PeerId A = PeerId.of("a");
    private static final PeerId B = PeerId.of("b");
    private static final PeerId C = PeerId.of("c");

    protected RoomDirectory directory;
    private ExecutorService pool;

    /** A client of the test's store: empty at the first call of a test, the same store afterwards. */
    protected abstract RoomDirectory newDirectory();

    @BeforeEach
    void setUpDirectory() {
        directory = newDirectory();
    }

    @AfterEach
    void tearDownPool() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void roomShowsEachMembersNodeAndJoinDetailsAndTheCreationTime() {
        long before = System.currentTimeMillis();
        assertThat(directory.room(R)).isEmpty();
        directory.join(R, new Member(A, N1), 3, new MemberInfo("alice", 1234L, "v1.1"));
        directory.join(R, new Member(B, N2), 3);
        RoomState state = directory.room(R).orElseThrow();
        assertThat(state.room()).isEqualTo(R);
        assertThat(state.createdAtMillis()).isGreaterThanOrEqualTo(before);
        assertThat(state.members()).containsExactly(
                new RoomState.Entry(new Member(A, N1, "alice"), new MemberInfo("alice", 1234L, "v1.1")),
                new RoomState.Entry(new Member(B, N2), MemberInfo.unknown()));
        // An identity may hold any character, the separators of a store's encoding included.
        directory.join(S, new Member(C, N3), 3, new MemberInfo("line\nbreak\ttab", 1L, null));
        assertThat(directory.room(S).orElseThrow().members().get(0).info())
                .isEqualTo(new MemberInfo("line\nbreak\ttab", 1L, null));
        directory.leave(R, A);
        assertThat(directory.room(R).orElseThrow().members()).extracting(e -> e.member().peer()).containsExactly(B);
        directory.leave(R, B);
        assertThat(directory.room(R)).isEmpty();
    }

    @Test
    void roomsArePagedInNameOrderWithTheirSizesAndEmptyRoomsAreNotListed() {
        for (String name : List.of("m", "c", "x", "a-b", "Z")) {
            directory.join(RoomId.of(name), new Member(PeerId.of("p-" + name), N1), 5);
        }
        directory.join(RoomId.of("m"), new Member(PeerId.of("p2"), N2), 5);
        directory.join(RoomId.of("gone"), new Member(PeerId.of("p3"), N2), 5);
        directory.leave(RoomId.of("gone"), PeerId.of("p3"));
        List<RoomSummary> first = directory.rooms(null, 3);
        assertThat(first).extracting(r -> r.room().value()).containsExactly("Z", "a-b", "c");
        List<RoomSummary> second = directory.rooms(first.get(2).room(), 3);
        assertThat(second).extracting(r -> r.room().value()).containsExactly("m", "x");
        assertThat(second.get(0).peers()).isEqualTo(2);
        assertThat(second.get(0).createdAtMillis()).isPositive();
        assertThat(directory.rooms(RoomId.of("x"), 3)).isEmpty();
    }

    @Test
    void closeRemovesEveryMemberAtOnceAndAJoinAfterItStartsAfresh() {
        directory.join(R, new Member(A, N1), 3);
        directory.join(R, new Member(B, N2), 3);
        assertThat(directory.close(R)).containsExactly(new Member(A, N1), new Member(B, N2));
        assertThat(directory.members(R)).isEmpty();
        assertThat(directory.room(R)).isEmpty();
        assertThat(directory.rooms(null, 10)).isEmpty();
        assertThat(directory.close(R)).isEmpty();
        assertThat(directory.leave(R, A)).isEmpty();
        assertThat(directory.join(R, new Member(C, N3), 3)).isEqualTo(new Admission.Admitted(List.of()));
        assertThat(directory.rooms(null, 10)).extracting(r -> r.room().value()).containsExactly("r");
    }

    @Test
    void aRoomStaysListedWhileJoinsAndLeavesRaceItsEmptying() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        RoomDirectory other = newDirectory();
        for (int round = 0; round < 200; round++) {
            PeerId first = PeerId.of("f" + round);
            PeerId second = PeerId.of("s" + round);
            directory.join(R, new Member(first, N1), 5);
            CountDownLatch go = new CountDownLatch(1);
            Future<?> leaving = pool.submit(() -> {
                go.await();
                return directory.leave(R, first);
            });
            Future<?> joining = pool.submit(() -> {
                go.await();
                return other.join(R, new Member(second, N2), 5);
            });
            go.countDown();
            leaving.get(10, TimeUnit.SECONDS);
            joining.get(10, TimeUnit.SECONDS);
            assertThat(directory.rooms(null, 10)).as("round %d", round).extracting(r -> r.room().value())
                    .containsExactly("r");
            directory.leave(R, second);
            assertThat(directory.rooms(null, 10)).isEmpty();
        }
    }

    @Test
    void joinReportsTheMembersBeforeInJoinOrderWithTheirNodes() {
        assertThat(directory.join(R, new Member(A, N1), 3)).isEqualTo(new Admission.Admitted(List.of()));
        assertThat(directory.join(R, new Member(B, N2), 3)).isEqualTo(new Admission.Admitted(List.of(new Member(A, N1))));
        assertThat(directory.join(R, new Member(C, N3), 3))
                .isEqualTo(new Admission.Admitted(List.of(new Member(A, N1), new Member(B, N2))));
        assertThat(directory.members(R)).containsExactly(new Member(A, N1), new Member(B, N2), new Member(C, N3));
        assertThat(newDirectory().members(R)).as("another node's client sees the same room")
                .containsExactly(new Member(A, N1), new Member(B, N2), new Member(C, N3));
    }

    @Test
    void aFullRoomAndARepeatedJoinChangeNothing() {
        directory.join(R, new Member(A, N1), 2);
        assertThat(directory.join(R, new Member(A, N1), 2)).isEqualTo(new Admission.AlreadyMember());
        directory.join(R, new Member(B, N2), 2);
        assertThat(directory.join(R, new Member(C, N3), 2)).isEqualTo(new Admission.Full(2));
        assertThat(directory.members(R)).containsExactly(new Member(A, N1), new Member(B, N2));
        assertThat(directory.members(S)).isEmpty();
    }

    @Test
    void leaveReportsWhoRemainsOnceAndTheRoomCanBeJoinedAgain() {
        directory.join(R, new Member(A, N1), 3);
        directory.join(R, new Member(B, N2), 3);
        assertThat(directory.leave(R, A)).contains(List.of(new Member(B, N2)));
        assertThat(newDirectory().leave(R, A)).as("a second removal reports nothing").isEmpty();
        assertThat(directory.leave(R, B)).contains(List.of());
        assertThat(directory.members(R)).isEmpty();
        assertThat(directory.join(R, new Member(C, N1), 3)).isEqualTo(new Admission.Admitted(List.of()));
    }

    @Test
    void evictRemovesOneNodesMembersExactlyOnce() {
        directory.join(R, new Member(A, N1), 5);
        directory.join(R, new Member(B, N2), 5);
        directory.join(R, new Member(C, N1), 5);
        directory.join(S, new Member(PeerId.of("d"), N1), 5);
        assertThat(directory.roomsOf(N1)).containsExactlyInAnyOrder(R, S);
        assertThat(directory.roomsOf(N2)).containsExactly(R);

        RoomDirectory.Eviction first = directory.evict(R, N1);
        assertThat(first.removed()).containsExactly(A, C);
        assertThat(first.remaining()).containsExactly(new Member(B, N2));
        RoomDirectory.Eviction second = newDirectory().evict(R, N1);
        assertThat(second.removed()).isEmpty();
        assertThat(second.remaining()).containsExactly(new Member(B, N2));
        assertThat(directory.members(S)).hasSize(1);

        directory.forget(N1);
        assertThat(directory.roomsOf(N1)).isEmpty();
        assertThat(directory.roomsOf(N2)).containsExactly(R);
    }

    @Test
    void releaseDropsARoomFromTheNodesIndexOnly() {
        directory.join(R, new Member(A, N1), 5);
        directory.join(S, new Member(B, N1), 5);
        directory.leave(R, A);
        directory.release(N1, R);
        assertThat(directory.roomsOf(N1)).containsExactly(S);
        assertThat(directory.members(S)).containsExactly(new Member(B, N1));
    }

    @Test
    void restorePutsMembersBackWithoutTheSizeCheckAndKeepsThoseThere() {
        directory.join(R, new Member(C, N2), 1);
        directory.restore(R, List.of(new Member(A, N1), new Member(B, N1), new Member(C, N2)));
        assertThat(directory.members(R)).containsExactly(new Member(C, N2), new Member(A, N1), new Member(B, N1));
        assertThat(directory.roomsOf(N1)).containsExactly(R);
        assertThat(directory.leave(R, A)).contains(List.of(new Member(C, N2), new Member(B, N1)));
    }

    @Test
    void concurrentJoinsFromSeveralNodesNeverOverfillARoom() throws Exception {
        int nodes = 3;
        int perNode = 20;
        int max = 5;
        pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            NodeId node = NodeId.of("node" + n);
            RoomDirectory client = newDirectory();
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perNode; i++) {
                    Admission result = client.join(R, new Member(PeerId.of(node + "-" + i), node), max);
                    if (result instanceof Admission.Admitted admittedResult) {
                        assertThat(admittedResult.before()).hasSizeLessThan(max);
                        admitted.incrementAndGet();
                    } else {
                        assertThat(result).isEqualTo(new Admission.Full(max));
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(admitted.get()).isEqualTo(max);
        List<Member> members = directory.members(R);
        assertThat(members).hasSize(max);
        assertThat(new HashSet<>(members)).hasSize(max);
    }

    @Test
    void racingLeavesAndEvictionsReportEachMemberOnce() throws Exception {
        int peers = 40;
        for (int i = 0; i < peers; i++) {
            directory.join(R, new Member(PeerId.of("p" + i), i % 2 == 0 ? N1 : N2), peers);
        }
        pool = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        Set<PeerId> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger reports = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            RoomDirectory client = newDirectory();
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < peers; i += 2) {
                    PeerId peer = PeerId.of("p" + i);
                    if (client.leave(R, peer).isPresent()) {
                        reported.add(peer);
                        reports.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        RoomDirectory evictor = newDirectory();
        futures.add(pool.submit(() -> {
            go.await();
            RoomDirectory.Eviction eviction = evictor.evict(R, N1);
            reported.addAll(eviction.removed());
            reports.addAndGet(eviction.removed().size());
            return null;
        }));
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(reports.get()).as("each of N1's members removed exactly once").isEqualTo(peers / 2);
        assertThat(reported).hasSize(peers / 2);
        assertThat(directory.members(R)).hasSize(peers / 2).allMatch(m -> m.node().equals(N2));
    }

    @Test
    void identitiesTravelWithTheMembershipAndDoNotHideTheNode() {
        Member alice = new Member(A, N1, "alice@example.com with spaces");
        Member bob = new Member(B, N2, "bob");
        directory.join(R, alice, 4);
        RoomDirectory other = newDirectory();
        assertThat(other.join(R, bob, 4)).isEqualTo(new Admission.Admitted(List.of(alice)));
        assertThat(other.join(R, new Member(C, N1), 4)).isEqualTo(new Admission.Admitted(List.of(alice, bob)));
        assertThat(directory.members(R)).containsExactly(alice, bob, new Member(C, N1));
        RoomDirectory.Eviction eviction = directory.evict(R, N1);
        assertThat(eviction.removed()).containsExactlyInAnyOrder(A, C);
        assertThat(eviction.remaining()).containsExactly(bob);
        directory.restore(R, List.of(alice));
        assertThat(other.members(R)).containsExactly(bob, alice);
    }

    @Test
    void moveRehomesAMemberInItsPlaceOnlyFromTheNodeThatHoldsIt() {
        Member alice = new Member(A, N1, "alice");
        directory.join(R, alice, 4);
        directory.join(R, new Member(B, N2), 4);
        directory.join(R, new Member(C, N1), 4);
        assertThat(directory.move(R, A, N2, N3)).as("N2 does not hold A: nothing changes").isEmpty();
        assertThat(directory.move(R, PeerId.of("nobody"), N1, N3)).isEmpty();
        assertThat(directory.move(S, A, N1, N3)).as("no such room").isEmpty();
        assertThat(directory.move(R, A, N1, N3)).contains(List.of(new Member(A, N3, "alice"), new Member(B, N2),
                new Member(C, N1)));
        RoomDirectory other = newDirectory();
        assertThat(other.members(R)).containsExactly(new Member(A, N3, "alice"), new Member(B, N2), new Member(C, N1));
        assertThat(other.move(R, A, N1, N2)).as("moved once: the old node holds it no more").isEmpty();
        assertThat(other.roomsOf(N3)).contains(R);
        assertThat(other.room(R).orElseThrow().members().get(0).info().identity()).isEqualTo("alice");
        RoomDirectory.Eviction eviction = other.evict(R, N3);
        assertThat(eviction.removed()).as("a dead new node's cleanup finds the moved member").containsExactly(A);
        assertThat(directory.evict(R, N1).removed()).containsExactly(C);
    }

    @Test
    void aSuspendedMarkShowsUntilClearedOrMovedAndOnlyItsNodeSetsIt() {
        directory.join(R, new Member(A, N1), 4, new MemberInfo("alice", 5L, "v1.1"));
        directory.join(R, new Member(B, N2), 4);
        directory.suspended(R, A, N1, true);
        directory.suspended(R, B, N1, true);
        RoomDirectory other = newDirectory();
        assertThat(other.room(R).orElseThrow().members()).extracting(e -> e.info().suspended()).containsExactly(true, false);
        assertThat(other.room(R).orElseThrow().members().get(0).info()).isEqualTo(new MemberInfo("alice", 5L, "v1.1", true));
        directory.suspended(R, A, N1, false);
        assertThat(other.room(R).orElseThrow().members().get(0).info().suspended()).isFalse();
        directory.suspended(R, A, N1, true);
        directory.move(R, A, N1, N3);
        assertThat(other.room(R).orElseThrow().members().get(0).info().suspended()).as("moved: connected there").isFalse();
        directory.suspended(R, A, N1, true);
        assertThat(other.room(R).orElseThrow().members().get(0).info().suspended()).as("a late mark of the old node").isFalse();
        directory.suspended(R, A, N3, true);
        directory.leave(R, A);
        directory.join(R, new Member(A, N1), 4);
        assertThat(other.room(R).orElseThrow().members().get(1).info().suspended()).as("a leave clears it").isFalse();
    }
}
