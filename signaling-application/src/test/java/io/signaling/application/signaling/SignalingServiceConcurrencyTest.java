package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.PeerId;
import io.signaling.ports.signaling.MiniJson;
import io.signaling.ports.signaling.SignalingSettings;
import io.signaling.ports.signaling.TestMessageCodec;
import io.signaling.ports.websocket.CloseCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many connections relaying at once on several threads, with peers joining and leaving the same
 * rooms meanwhile: nothing is lost, misrouted, duplicated or reordered, and every peer sees the
 * comings and goings of its room in a consistent order.
 */
class SignalingServiceConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROOMS = 20;
    private static final int PEERS_PER_ROOM = 5;
    private static final int MESSAGES = 40;

    private final FakeHub hub = new FakeHub();
    private final AtomicInteger ids = new AtomicInteger();
    private final SignalingService service = SignalingService.builder(new TestMessageCodec())
            .settings(new SignalingSettings(PEERS_PER_ROOM + 1, 1_000_000, 1_000_000, 65536,
                    Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(5)))
            .peerIds(() -> PeerId.of("p" + ids.incrementAndGet()))
            .build();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private record Peer(FakeConnection connection, String id, int room) {
    }

    private Peer open(int room) {
        FakeConnection connection = hub.open("c" + ids.get() + "-" + room + "-" + System.nanoTime());
        service.onOpen(connection);
        String id = (String) ((Map<?, ?>) MiniJson.parse(connection.sent().get(0))).get("peerId");
        return new Peer(connection, id, room);
    }

    @Test
    void concurrentRelaysAndChurnKeepEveryGuarantee() throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            for (int i = 0; i < PEERS_PER_ROOM; i++) {
                Peer peer = open(r);
                service.onText(peer.connection(), "{\"type\":\"join\",\"room\":\"room" + r + "\"}");
                peers.add(peer);
            }
        }
        Map<Integer, List<Peer>> byRoom = new HashMap<>();
        peers.forEach(p -> byRoom.computeIfAbsent(p.room(), r -> new ArrayList<>()).add(p));
        List<Peer> churners = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            churners.add(open(r));
        }

        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                go.await();
                // Each connection belongs to one thread, as the adapter serializes its callbacks.
                for (int n = 0; n < MESSAGES; n++) {
                    for (int i = thread; i < peers.size(); i += THREADS) {
                        Peer from = peers.get(i);
                        for (Peer to : byRoom.get(from.room())) {
                            if (to != from) {
                                service.onText(from.connection(), "{\"type\":\"offer\",\"to\":\"" + to.id()
                                        + "\",\"payload\":{\"from\":\"" + from.id() + "\",\"seq\":" + n + "}}");
                            }
                        }
                    }
                    for (int i = thread; i < churners.size(); i += THREADS) {
                        Peer churner = churners.get(i);
                        service.onText(churner.connection(), "{\"type\":\"join\",\"room\":\"room" + churner.room() + "\"}");
                        service.onText(churner.connection(), "{\"type\":\"leave\"}");
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }

        for (Peer recipient : peers) {
            Map<String, Integer> nextSeq = new HashMap<>();
            Map<String, Boolean> present = new HashMap<>();
            int relays = 0;
            for (String text : recipient.connection().sent()) {
                Map<?, ?> message = (Map<?, ?>) MiniJson.parse(text);
                String type = (String) message.get("type");
                switch (type) {
                    case "offer" -> {
                        relays++;
                        assertThat(message.get("to")).isEqualTo(recipient.id());
                        Map<?, ?> payload = (Map<?, ?>) message.get("payload");
                        String from = (String) message.get("from");
                        assertThat(payload.get("from")).as("from is the real sender").isEqualTo(from);
                        int seq = ((Number) payload.get("seq")).intValue();
                        assertThat(seq).as("FIFO, no loss, no duplicate from %s", from)
                                .isEqualTo(nextSeq.getOrDefault(from, 0));
                        nextSeq.put(from, seq + 1);
                    }
                    case "peer-joined" -> {
                        String who = (String) message.get("peerId");
                        assertThat(message.get("room")).isEqualTo("room" + recipient.room());
                        assertThat(present.put(who, true)).as("joined twice without leaving").isNotEqualTo(true);
                    }
                    case "peer-left" -> {
                        String who = (String) message.get("peerId");
                        assertThat(present.put(who, false)).as("left without having joined").isEqualTo(true);
                    }
                    case "welcome", "joined" -> { }
                    default -> throw new AssertionError("unexpected " + text);
                }
            }
            assertThat(relays).isEqualTo((PEERS_PER_ROOM - 1) * MESSAGES);
            assertThat(nextSeq).hasSize(PEERS_PER_ROOM - 1)
                    .allSatisfy((from, next) -> assertThat(next).isEqualTo(MESSAGES));
        }
        assertThat(service.roomRegistry().peerCount()).isEqualTo(ROOMS * PEERS_PER_ROOM);

        for (Peer peer : peers) {
            service.onClose(peer.connection(), CloseCodes.NORMAL, "");
        }
        for (Peer churner : churners) {
            service.onClose(churner.connection(), CloseCodes.NORMAL, "");
        }
        assertThat(service.roomRegistry().roomCount()).isZero();
    }
}
