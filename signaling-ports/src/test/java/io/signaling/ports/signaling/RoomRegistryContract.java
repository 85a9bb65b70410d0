package io.signaling.ports.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.Membership.Departure;
import io.signaling.domain.signaling.Membership.JoinResult;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RoomRegistry} meets; an implementation's test extends this class and
 * supplies a fresh, empty registry.
 */
public abstract class RoomRegistryContract {

    private static final RoomId R = RoomId.of("r");
    private static final RoomId S = RoomId.of("s");
    private static final PeerId A = PeerId.of("a");
    private static final PeerId B = PeerId.of("b");
    private static final PeerId C = PeerId.of("c");

    protected RoomRegistry registry;
    private ExecutorService pool;

    /** A new, empty registry; called before each test. */
    protected abstract RoomRegistry newRegistry();

    @BeforeEach
    void setUpRegistry() {
        registry = newRegistry();
    }

    @AfterEach
    void tearDownPool() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void joinReportsTheMembersAlreadyThereInJoinOrder() {
        assertThat(registry.join(R, A, 3)).isEqualTo(new JoinResult.Joined(R, List.of()));
        assertThat(registry.join(R, B, 3)).isEqualTo(new JoinResult.Joined(R, List.of(A)));
        assertThat(registry.join(R, C, 3)).isEqualTo(new JoinResult.Joined(R, List.of(A, B)));
        assertThat(registry.members(R)).containsExactly(A, B, C);
        assertThat(registry.roomOf(B)).contains(R);
        assertThat(registry.roomCount()).isEqualTo(1);
        assertThat(registry.peerCount()).isEqualTo(3);
    }

    @Test
    void aPeerIsInOneRoomAtMost() {
        registry.join(R, A, 3);
        assertThat(registry.join(S, A, 3)).isEqualTo(new JoinResult.AlreadyInRoom(R));
        assertThat(registry.join(R, A, 3)).isEqualTo(new JoinResult.AlreadyInRoom(R));
        assertThat(registry.members(S)).isEmpty();
        assertThat(registry.roomCount()).isEqualTo(1);
    }

    @Test
    void aFullRoomRefusesWithoutChangingAnything() {
        registry.join(R, A, 2);
        registry.join(R, B, 2);
        assertThat(registry.join(R, C, 2)).isEqualTo(new JoinResult.RoomFull(R, 2));
        assertThat(registry.roomOf(C)).isEmpty();
        assertThat(registry.members(R)).containsExactly(A, B);
    }

    @Test
    void leaveReportsWhoRemainsAndTheLastOneRemovesTheRoom() {
        registry.join(R, A, 3);
        registry.join(R, B, 3);
        assertThat(registry.leave(A)).contains(new Departure(R, List.of(B)));
        assertThat(registry.roomOf(A)).isEmpty();
        assertThat(registry.leave(A)).isEmpty();
        assertThat(registry.leave(B)).contains(new Departure(R, List.of()));
        assertThat(registry.roomCount()).isZero();
        assertThat(registry.peerCount()).isZero();
        assertThat(registry.members(R)).isEmpty();
        assertThat(registry.join(R, A, 3)).isEqualTo(new JoinResult.Joined(R, List.of()));
    }

    @Test
    void concurrentJoinsNeverOverfillARoom() throws Exception {
        int threads = 8;
        int max = 5;
        pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger joined = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 25; i++) {
                    if (registry.join(R, PeerId.of("t" + thread + "-" + i), max) instanceof JoinResult.Joined) {
                        joined.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(joined.get()).isEqualTo(max);
        assertThat(registry.members(R)).hasSize(max);
        assertThat(registry.peerCount()).isEqualTo(max);
    }

    @Test
    void manyThreadsJoiningAndLeavingKeepTheInvariants() throws Exception {
        int threads = 8;
        int peersPerThread = 50;
        int rooms = 10;
        int max = 6;
        pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger overfull = new AtomicInteger();
        Future<?> observer = pool.submit(() -> {
            go.await();
            while (running.get()) {
                for (int r = 0; r < rooms; r++) {
                    List<PeerId> members = registry.members(RoomId.of("room" + r));
                    if (members.size() > max || new HashSet<>(members).size() != members.size()) {
                        overfull.incrementAndGet();
                    }
                }
            }
            return null;
        });
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(thread);
                go.await();
                for (int i = 0; i < 5_000; i++) {
                    PeerId peer = PeerId.of("t" + thread + "p" + random.nextInt(peersPerThread));
                    // Each thread owns its peers, as one connection's events are serialized.
                    Optional<RoomId> before = registry.roomOf(peer);
                    if (before.isPresent()) {
                        Optional<Departure> departure = registry.leave(peer);
                        assertThat(departure).isPresent();
                        assertThat(departure.get().room()).isEqualTo(before.get());
                        assertThat(departure.get().remaining()).doesNotContain(peer);
                    } else {
                        RoomId room = RoomId.of("room" + random.nextInt(rooms));
                        JoinResult result = registry.join(room, peer, max);
                        if (result instanceof JoinResult.Joined joined) {
                            assertThat(joined.others()).doesNotContain(peer).hasSizeLessThan(max);
                            assertThat(registry.roomOf(peer)).contains(room);
                        } else {
                            assertThat(result).isInstanceOf(JoinResult.RoomFull.class);
                            assertThat(registry.roomOf(peer)).isEmpty();
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        running.set(false);
        observer.get(10, TimeUnit.SECONDS);

        assertThat(overfull.get()).as("a room over capacity or with a duplicate was observed").isZero();
        Set<PeerId> seen = new HashSet<>();
        int nonEmpty = 0;
        for (int r = 0; r < rooms; r++) {
            RoomId room = RoomId.of("room" + r);
            List<PeerId> members = registry.members(room);
            if (!members.isEmpty()) {
                nonEmpty++;
            }
            for (PeerId member : members) {
                assertThat(seen.add(member)).as("%s in one room only", member).isTrue();
                assertThat(registry.roomOf(member)).contains(room);
            }
        }
        assertThat(registry.peerCount()).isEqualTo(seen.size());
        assertThat(registry.roomCount()).isEqualTo(nonEmpty);
    }
}
