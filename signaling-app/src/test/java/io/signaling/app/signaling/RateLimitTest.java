package io.signaling.app.signaling;

import static io.signaling.app.signaling.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-connection token bucket with a small configured rate (5 per second, burst 5): excess
 * frames are dropped (never queued for later), the sender gets at most one {@code rate-limited}
 * error per second carrying {@code retryAfterMs}, the connection stays open and recovers, and
 * other connections are not affected.
 */
class RateLimitTest {

    private static final double RATE = 5;
    private static final int BURST = 5;

    @RegisterExtension
    static final RunningNode node = new RunningNode("rate-limit.messages-per-second=5", "rate-limit.burst=5");

    @Test
    void theBurstPassesThenOneRateLimitedErrorWithRetryAfter() throws Exception {
        SignalingClient client = node.connect();
        assertThat(client.welcome().path("limits").path("messagesPerSecond").asDouble()).isEqualTo(RATE);
        assertThat(client.welcome().path("limits").path("burst").asInt()).isEqualTo(BURST);

        for (int i = 0; i < BURST; i++) {
            client.send("{\"type\":\"ping\",\"id\":\"" + i + "\"}");
        }
        for (int i = 0; i < 10; i++) {
            client.send("{\"type\":\"ping\",\"id\":\"over-" + i + "\"}");
        }
        for (int i = 0; i < BURST; i++) {
            assertThat(client.next()).isEqualTo(json("{'type':'pong','id':'%s'}", i));
        }
        // The bucket is empty now; only a stall of 200 ms, which refills a token, lets one more through.
        JsonNode error = client.next();
        for (int refilled = 0; error.path("type").asText().equals("pong"); refilled++) {
            assertThat(refilled).as("pongs past the burst").isLessThan(2);
            error = client.next();
        }
        assertThat(error.path("code").asText()).as("%s", error).isEqualTo("rate-limited");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("retryAfterMs").isIntegralNumber()).as("%s", error).isTrue();
        // At 5 per second one token takes at most 200 ms to come back.
        assertThat(error.path("retryAfterMs").asLong()).isBetween(1L, 200L);
        assertThat(client.closed()).isNotDone();
    }

    @Test
    void aFloodIsDroppedNotQueuedWithAtMostOneErrorPerSecondAndTheConnectionRecovers() throws Exception {
        SignalingClient sender = node.connect();
        SignalingClient receiver = node.connect();
        SignalingClient bystander = node.connect();
        sender.join("flood");
        receiver.join("flood");
        sender.next("peer-joined");

        long started = System.nanoTime();
        int sent = 0;
        while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(2_200)) {
            sender.send("{\"type\":\"offer\",\"to\":\"" + receiver.peerId() + "\",\"payload\":" + sent + "}");
            sent++;
            if (sent == 50) {
                // Buckets are per connection: another one is served at once during the flood.
                assertThat(bystander.request("{\"type\":\"ping\",\"id\":\"other\"}"))
                        .isEqualTo(json("{'type':'pong','id':'other'}"));
            }
        }

        // The connection is still open and accepts a message again once a token is back.
        AtomicInteger probes = new AtomicInteger();
        List<JsonNode> senderFrames = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            sender.send("{\"type\":\"ping\",\"id\":\"probe-" + probes.incrementAndGet() + "\"}");
            for (String frame : sender.drainQueued()) {
                senderFrames.add(SignalingClient.parse(frame));
            }
            return senderFrames.stream().anyMatch(f -> f.path("type").asText().equals("pong"));
        });
        // The server handles a connection's frames in order, so by the probe's pong it has handled
        // (and dropped or passed) the whole flood: the bucket could refill only over this span.
        long elapsedNanos = System.nanoTime() - started;
        long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(elapsedNanos);

        List<JsonNode> errors = senderFrames.stream().filter(f -> f.path("type").asText().equals("error")).toList();
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.path("code").asText()).isEqualTo("rate-limited");
            assertThat(e.path("retryAfterMs").asLong()).isBetween(1L, 200L);
        });
        // The flood lasted over 2 s, so at least two errors; never more than one per started second.
        assertThat(errors.size()).isBetween(2, (int) elapsedSeconds + 1);

        // The receiver got only what the bucket let through, in order, and nothing turns up late.
        List<Integer> delivered = new ArrayList<>();
        for (JsonNode frame : receiver.framesBeforeBarrier()) {
            assertThat(frame.path("type").asText()).as("%s", frame).isEqualTo("offer");
            delivered.add(frame.path("payload").asInt());
        }
        long allowed = BURST - 1 + (long) Math.ceil(RATE * elapsedNanos / 1e9) + 1;
        assertThat(delivered).as("sent %d", sent).isSorted().doesNotHaveDuplicates().hasSizeLessThanOrEqualTo((int) allowed);
        assertThat(sent).as("the flood outran the bucket").isGreaterThan((int) allowed);
        receiver.assertNothingPending();
        assertThat(sender.closed()).isNotDone();
    }
}
