package io.signaling.benchmarks.core;

import io.signaling.adapter.jackson.JacksonCodecs;
import io.signaling.application.signaling.SignalingService;
import io.signaling.domain.signaling.Membership;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.signaling.RoomRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Question: does the in-memory room registry scale across threads with no global lock? Two
 * threads (this machine's cores) join and leave, and look up the relay target, over 1,000 peers
 * in 100 rooms; compare with {@code -t 1} to see the contention cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class RoomRegistryBenchmark {

    static final int ROOMS = 100;
    static final int PEERS_PER_ROOM = 10;

    RoomRegistry registry;
    PeerId[] peers;
    RoomId[] rooms;

    @Setup(Level.Trial)
    public void setUp() {
        registry = SignalingService.builder(JacksonCodecs.messageCodec()).build().roomRegistry();
        rooms = new RoomId[ROOMS];
        peers = new PeerId[ROOMS * PEERS_PER_ROOM];
        for (int r = 0; r < ROOMS; r++) {
            rooms[r] = new RoomId("room-" + r);
            for (int p = 0; p < PEERS_PER_ROOM; p++) {
                PeerId peer = new PeerId("peer-" + r + "-" + p);
                peers[r * PEERS_PER_ROOM + p] = peer;
                registry.join(rooms[r], peer, PEERS_PER_ROOM + 8);
            }
        }
    }

    /** Each thread churns its own peers, so joins and leaves contend on rooms, not on ids. */
    @State(Scope.Thread)
    public static class Churn {
        final SplittableRandom random = new SplittableRandom();
        int serial;
        String prefix = "churn-" + Thread.currentThread().getId() + "-";
    }

    @Benchmark
    public boolean relayLookup(Churn churn) {
        PeerId from = peers[churn.random.nextInt(peers.length)];
        Optional<RoomId> room = registry.roomOf(from);
        if (room.isEmpty()) {
            return false;
        }
        PeerId to = peers[churn.random.nextInt(peers.length)];
        return registry.roomOf(to).equals(room);
    }

    @Benchmark
    public Object joinThenLeave(Churn churn) {
        PeerId peer = new PeerId(churn.prefix + (churn.serial++ & 1023));
        Membership.JoinResult joined = registry.join(rooms[churn.random.nextInt(ROOMS)], peer, PEERS_PER_ROOM + 8);
        registry.leave(peer);
        return joined;
    }
}
