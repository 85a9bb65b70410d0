package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Load-style: 1,000 connections in 100 rooms of 10, each sending 20 relays spread over its nine
 * room-mates while every room sends at once; every relay arrives exactly once, at its target only,
 * in per-sender order (checked by sender and sequence number), within a bounded time.
 */
class LoadTest {

    private static final int ROOMS = 100;
    private static final int PER_ROOM = 10;
    private static final int RELAYS = 20;
    private static final String[] TYPES = {"offer", "answer", "candidate"};

    private final List<SignalingClient> clients = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @RegisterExtension
    static final RunningNode node = new RunningNode("rate-limit.messages-per-second=10000", "rate-limit.burst=10000");

    @AfterEach
    void closeAll() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The room-mate that member {@code k} addresses with its {@code seq}-th relay: all nine in turn. */
    private static int target(int k, int seq) {
        return (k + 1 + seq % (PER_ROOM - 1)) % PER_ROOM;
    }

    private void inParallel(List<Callable<Void>> tasks) throws Exception {
        List<Future<Void>> futures = pool.invokeAll(tasks, 60, TimeUnit.SECONDS);
        for (Future<Void> future : futures) {
            assertThat(future.isCancelled()).as("task finished in time").isFalse();
            future.get();
        }
    }

    @Test
    void aThousandConnectionsInAHundredRoomsRelayWithoutLossMisroutingOrDuplicates() throws Exception {
        long started = System.nanoTime();
        for (int batch = 0; batch < ROOMS * PER_ROOM / 100; batch++) {
            List<CompletableFuture<SignalingClient>> connecting = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                connecting.add(SignalingClient.connectAsync(node.http(), node.wsUri()));
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (CompletableFuture<SignalingClient> future : connecting) {
                clients.add(node.closeAfterTest(future.join()));
            }
        }
        for (SignalingClient client : clients) {
            client.readWelcome();
        }
        assertThat(clients.stream().map(SignalingClient::peerId).distinct()).hasSize(ROOMS * PER_ROOM);
        long connectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        List<Callable<Void>> joins = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            int room = r;
            joins.add(() -> {
                for (int k = 0; k < PER_ROOM; k++) {
                    assertThat(member(room, k).join("load-" + room).path("peers")).hasSize(k);
                }
                return null;
            });
        }
        inParallel(joins);

        // Every room sends at once; within a room the members take turns, so senders interleave.
        List<Callable<Void>> sends = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            int room = r;
            sends.add(() -> {
                for (int seq = 0; seq < RELAYS; seq++) {
                    for (int k = 0; k < PER_ROOM; k++) {
                        SignalingClient to = member(room, target(k, seq));
                        member(room, k).relay(TYPES[seq % 3], to.peerId(),
                                "{\"s\":" + (room * PER_ROOM + k) + ",\"q\":" + seq + "}");
                    }
                }
                return null;
            });
        }
        inParallel(sends);

        List<Callable<Void>> checks = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            int room = r;
            checks.add(() -> {
                for (int j = 0; j < PER_ROOM; j++) {
                    checkReceived(room, j);
                }
                return null;
            });
        }
        inParallel(checks);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("load: %d connections in %d ms, all relays checked after %d ms%n",
                clients.size(), connectedMs, elapsedMs);
        assertThat(elapsedMs).as("bounded time").isLessThan(60_000);
    }

    private SignalingClient member(int room, int k) {
        return clients.get(room * PER_ROOM + k);
    }

    /** Member {@code j} heard of each later joiner, then got exactly the relays addressed to it. */
    private void checkReceived(int room, int j) throws Exception {
        SignalingClient me = member(room, j);
        for (int later = j + 1; later < PER_ROOM; later++) {
            JsonNode joined = me.next("peer-joined");
            assertThat(joined.path("peerId").asText()).isEqualTo(member(room, later).peerId());
        }
        Map<Integer, List<Integer>> expected = new HashMap<>();
        int count = 0;
        for (int k = 0; k < PER_ROOM; k++) {
            for (int seq = 0; seq < RELAYS; seq++) {
                if (target(k, seq) == j) {
                    expected.computeIfAbsent(room * PER_ROOM + k, s -> new ArrayList<>()).add(seq);
                    count++;
                }
            }
        }
        Map<Integer, List<Integer>> received = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            JsonNode relay = me.next();
            int sender = relay.path("payload").path("s").asInt();
            int seq = relay.path("payload").path("q").asInt();
            assertThat(relay.path("type").asText()).as("%s", relay).isEqualTo(TYPES[seq % 3]);
            assertThat(relay.path("to").asText()).as("misrouted: %s", relay).isEqualTo(me.peerId());
            assertThat(sender / PER_ROOM).as("from another room: %s", relay).isEqualTo(room);
            assertThat(relay.path("from").asText()).isEqualTo(member(room, sender % PER_ROOM).peerId());
            assertThat(ids.add(sender + ":" + seq)).as("duplicate: %s", relay).isTrue();
            received.computeIfAbsent(sender, s -> new ArrayList<>()).add(seq);
        }
        // Exactly the expected set, each sender's in the order sent; and nothing else queued.
        assertThat(received).isEqualTo(expected);
        me.assertNothingPending();
    }
}
