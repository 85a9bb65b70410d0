package io.signaling.app.signaling;

import static io.signaling.app.signaling.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Liveness under churn: room-mates relay to each other while one of each pair drops its TCP
 * connection at a random moment, so drops race relays being written to the dropping socket.
 * Afterwards every dropped peer is out of its room, every survivor heard {@code peer-left}, and a
 * fresh pair still relays. (The lock-order deadlock such races can cause is pinned down
 * deterministically by the endpoint contract's onClose-outside-the-channel-monitor test; this one
 * did not reproduce it, and guards the whole path instead.) Bounded: a fixed number of relays
 * per pair, every wait capped; the seed is in every failure message.
 */
class ChurnTest {

    private static final int PAIRS = 40;
    private static final int RELAYS_PER_SIDE = 200;

    @RegisterExtension
    static final RunningNode node = new RunningNode("rate-limit.messages-per-second=100000", "rate-limit.burst=100000",
            // The clients read on a shared core; a deep send queue keeps the slow-consumer rule, tested
            // elsewhere, out of this test.
            "websocket.send-queue-messages=8192", "websocket.send-queue-bytes=16MiB");

    @Test
    void relaysRacingDropsNeitherDeadlockNorLeakPeers() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        List<SignalingClient[]> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            SignalingClient a = node.connect();
            SignalingClient b = node.connect();
            a.join("churn-" + i);
            b.join("churn-" + i);
            a.next("peer-joined");
            pairs.add(new SignalingClient[] {a, b});
        }
        assertThat(node.testNode().node().signaling().roomRegistry().peerCount()).isEqualTo(2 * PAIRS);

        // One of each pair drops, after a random number of relays.
        boolean[] dropFirst = new boolean[PAIRS];
        int[] dropAt = new int[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            dropFirst[i] = random.nextBoolean();
            dropAt[i] = random.nextInt(RELAYS_PER_SIDE);
        }
        ExecutorService senders = Executors.newFixedThreadPool(4);
        AtomicInteger dropped = new AtomicInteger();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                SignalingClient victim = pairs.get(i)[dropFirst[i] ? 0 : 1];
                SignalingClient survivor = pairs.get(i)[dropFirst[i] ? 1 : 0];
                int at = dropAt[i];
                runs.add(senders.submit(() -> {
                    for (int k = 0; k < RELAYS_PER_SIDE; k++) {
                        if (k == at) {
                            victim.close();
                            dropped.incrementAndGet();
                        }
                        if (k < at) {
                            victim.relay("candidate", survivor.peerId(), "{\"k\":" + k + "}");
                        }
                        // Keeps writing to the victim while its drop is being handled.
                        survivor.relay("candidate", victim.peerId(), "{\"k\":" + k + "}");
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(dropped.get()).as("seed %d", seed).isEqualTo(PAIRS);

        // Every dropped peer is gone from its room, and each survivor was told.
        await("dropped peers removed (seed " + seed + ")").atMost(Duration.ofSeconds(20))
                .until(() -> node.testNode().node().signaling().roomRegistry().peerCount() == PAIRS);
        for (int i = 0; i < PAIRS; i++) {
            SignalingClient victim = pairs.get(i)[dropFirst[i] ? 0 : 1];
            SignalingClient survivor = pairs.get(i)[dropFirst[i] ? 1 : 0];
            var left = json("{'type':'peer-left','room':'churn-%d','peerId':'%s','reason':'disconnect'}", i, victim.peerId());
            // Relays from the victim, then errors for relays to it, then (somewhere) the notice;
            // each read is bounded by the client's wait.
            int read = 0;
            while (!survivor.next().equals(left)) {
                read++;
                assertThat(read).as("frames before peer-left (seed %d)", seed).isLessThan(4 * RELAYS_PER_SIDE);
            }
        }

        // Still serving: a fresh pair joins and relays.
        SignalingClient c = node.connect();
        SignalingClient d = node.connect();
        c.join("after-churn");
        d.join("after-churn");
        c.next("peer-joined");
        c.relay("offer", d.peerId(), "{\"sdp\":\"still here\"}");
        assertThat(d.next()).isEqualTo(json("{'type':'offer','from':'%s','to':'%s','payload':{'sdp':'still here'}}",
                c.peerId(), d.peerId()));
    }
}
