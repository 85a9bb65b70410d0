package io.signaling.app.signaling;

import static io.signaling.app.signaling.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ordering: messages from one peer to another arrive in the order sent across relay types, never
 * duplicated or merged, while other senders relay concurrently; and {@code peer-joined} for a
 * newcomer always reaches a room-mate before any relay from that newcomer.
 */
class FifoTest {

    private static final String[] TYPES = {"offer", "answer", "candidate"};

    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @RegisterExtension
    static final RunningNode node = new RunningNode("rate-limit.messages-per-second=5000", "rate-limit.burst=5000");

    @AfterEach
    void closeClients() throws Exception {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Sends 200 relays of rotating types, alternately to {@code first} and {@code second}. */
    private static Void sendMixed(SignalingClient sender, String first, String second) throws Exception {
        for (int seq = 0; seq < 200; seq++) {
            String to = seq % 2 == 0 ? first : second;
            // Identical payloads every other pair, so merging or dropping duplicates would show.
            sender.relay(TYPES[seq % 3], to, "{\"seq\":" + seq + ",\"same\":" + (seq % 4 < 2) + "}");
        }
        return null;
    }

    @Test
    void relaysFromEachSenderArriveInOrderWithoutDuplicatesWhileOthersSendConcurrently() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        SignalingClient c = node.connect();
        for (SignalingClient client : List.of(a, b, c)) {
            client.join("fifo");
        }
        a.next("peer-joined");
        a.next("peer-joined");
        b.next("peer-joined");

        // a sends to b and c, c sends to a and b, at the same time.
        CompletableFuture<Void> fromA = CompletableFuture.supplyAsync(() -> call(() -> sendMixed(a, b.peerId(), c.peerId())), executor);
        CompletableFuture<Void> fromC = CompletableFuture.supplyAsync(() -> call(() -> sendMixed(c, b.peerId(), a.peerId())), executor);
        fromA.get(30, TimeUnit.SECONDS);
        fromC.get(30, TimeUnit.SECONDS);

        // b gets 100 from a (even seqs) and 100 from c (even seqs), each sender's in order.
        List<JsonNode> atB = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            atB.add(b.next());
        }
        assertInOrder(atB, a.peerId(), b.peerId(), 0);
        assertInOrder(atB, c.peerId(), b.peerId(), 0);
        List<JsonNode> atA = new ArrayList<>();
        List<JsonNode> atC = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            atA.add(a.next());
            atC.add(c.next());
        }
        assertInOrder(atA, c.peerId(), a.peerId(), 1);
        assertInOrder(atC, a.peerId(), c.peerId(), 1);
        a.assertNothingPending();
        b.assertNothingPending();
        c.assertNothingPending();
    }

    /** The frames from {@code from} are exactly seq = first, first+2, ..., with the type and target each had. */
    private static void assertInOrder(List<JsonNode> frames, String from, String to, int first) {
        List<JsonNode> fromSender = frames.stream().filter(f -> f.path("from").asText().equals(from)).toList();
        assertThat(fromSender).hasSize(100);
        for (int i = 0; i < fromSender.size(); i++) {
            int seq = first + 2 * i;
            assertThat(fromSender.get(i)).isEqualTo(json("{'type':'%s','from':'%s','to':'%s','payload':{'seq':%d,'same':%s}}",
                    TYPES[seq % 3], from, to, seq, seq % 4 < 2));
        }
    }

    @Test
    void peerJoinedAlwaysPrecedesTheFirstRelayOfTheNewcomer() throws Exception {
        SignalingClient resident = node.connect();
        for (int round = 0; round < 30; round++) {
            String room = "newcomer-" + round;
            resident.join(room);
            SignalingClient newcomer = node.connect();
            // Pipelined: the offer goes out right behind the join, before the joined reply is read.
            newcomer.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            newcomer.relay("offer", resident.peerId(), "{\"round\":" + round + "}");

            assertThat(resident.next()).isEqualTo(json("{'type':'peer-joined','room':'%s','peerId':'%s','polite':true}",
                    room, newcomer.peerId()));
            assertThat(resident.next()).isEqualTo(json("{'type':'offer','from':'%s','to':'%s','payload':{'round':%d}}",
                    newcomer.peerId(), resident.peerId(), round));
            newcomer.next("joined");
            newcomer.close();
            resident.next("peer-left");
            resident.request("{\"type\":\"leave\"}");
        }
    }

    private interface Call {
        Void call() throws Exception;
    }

    private static Void call(Call call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
