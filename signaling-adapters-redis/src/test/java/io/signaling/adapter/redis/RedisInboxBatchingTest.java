package io.signaling.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.NodeInbox;
import io.signaling.ports.log.Logger;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.testing.ManualNanoClock;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing to one inbox in batches, against a real redis-server: at most one command per
 * destination in flight, what piles up meanwhile goes out as one script, order and exactly-once
 * kept, and a bounded queue that refuses at once instead of growing or hanging. The shared
 * connection is held by a {@code BLPOP} without timeout (nothing behind it on that connection is
 * answered until the list gets an element), which makes "a command is in flight" deterministic.
 */
class RedisInboxBatchingTest {

    private static final NodeId RECEIVER = NodeId.of("receiver");
    private static final RoomId ROOM = RoomId.of("room");
    private static final PeerId TO = PeerId.of("to");

    private RedisServer server;
    private final List<RedisConnections> connections = new ArrayList<>();
    private final List<NodeInbox.Reader> readers = new ArrayList<>();
    private RedisKeys keys;

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start();
        keys = new RedisKeys("t" + UUID.randomUUID().toString().replace("-", ""));
    }

    @AfterEach
    void stop() throws Exception {
        readers.forEach(NodeInbox.Reader::close);
        connections.forEach(RedisConnections::close);
        if (server != null) {
            server.close();
        }
    }

    private RedisConnections connect(Duration commandTimeout, Metrics metrics) {
        RedisConnections redis = new RedisConnections(List.of(RedisURI.create(server.uri())), false, commandTimeout,
                10_000, Logger.noop(), metrics);
        connections.add(redis);
        return redis;
    }

    private RedisNodeInbox inbox(RedisConnections redis, int maxWaiting, long maxWaitingChars, Metrics metrics) {
        return inbox(redis, maxWaiting, maxWaitingChars, metrics, System::nanoTime);
    }

    private RedisNodeInbox inbox(RedisConnections redis, int maxWaiting, long maxWaitingChars, Metrics metrics,
                                 LongSupplier nanoClock) {
        return new RedisNodeInbox(redis, keys, 100_000, Duration.ofSeconds(60), maxWaiting, maxWaitingChars,
                metrics, nanoClock, Logger.noop());
    }

    private List<Envelope> read(RedisNodeInbox inbox) {
        List<Envelope> received = Collections.synchronizedList(new ArrayList<>());
        readers.add(inbox.open(RECEIVER, received::add));
        return received;
    }

    private static Envelope envelope(String origin, long sequence, String text) {
        return new Envelope(NodeId.of(origin), sequence, TO, ROOM, text, null, null, System.currentTimeMillis());
    }

    /** Holds the shared connection until {@link #release}: a BLPOP with no timeout on an empty list. */
    private RedisFuture<?> hold(RedisConnections redis) {
        return redis.async().blpop(0, blocker());
    }

    private String blocker() {
        return keys.inbox(NodeId.of("blocker")) + ":hold";
    }

    private void release(RedisFuture<?> held) throws Exception {
        server.command("RPUSH", blocker(), "go");
        held.get(30, TimeUnit.SECONDS);
    }

    private long commandCalls(String command) throws Exception {
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(server.command("INFO", "commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long batches(RecordingMetrics metrics) {
        return Math.round(metrics.counter("signaling.cluster.inbox.batches")
                .map(RecordingMetrics.RecordedCounter::count).orElse(0.0));
    }

    private static void awaitAll(List<CompletableFuture<Void>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /**
     * Eight threads publish to one inbox at once, in two halves: the first while the shared
     * connection is held (so nearly all of it waits, and must go out in a few large batches), the
     * second after the release, racing the completions of those batches. Every envelope arrives
     * exactly once, each thread's in its order, and Redis ran fewer scripts than it got envelopes.
     */
    @Test
    void manyThreadsPublishingToOneInboxEachSeeTheirOrderExactlyOnceInFewerCommands() throws Exception {
        RedisConnections redis = connect(Duration.ofSeconds(60), Metrics.noop());
        RecordingMetrics metrics = new RecordingMetrics();
        RedisNodeInbox inbox = inbox(redis, 100_000, Long.MAX_VALUE, metrics);
        List<Envelope> received = read(inbox);
        int threads = 8;
        int each = 1_000;
        int total = threads * each;
        server.command("CONFIG", "RESETSTAT");
        RedisFuture<?> held = hold(redis);
        CyclicBarrier together = new CyclicBarrier(threads);
        CountDownLatch firstHalves = new CountDownLatch(threads);
        CountDownLatch released = new CountDownLatch(1);
        List<CompletableFuture<Void>> published = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> problems = Collections.synchronizedList(new ArrayList<>());
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String origin = "sender-" + t;
            Thread publisher = new Thread(() -> {
                try {
                    together.await(60, TimeUnit.SECONDS);
                    for (int s = 1; s <= each; s++) {
                        if (s == each / 2 + 1) {
                            firstHalves.countDown();
                            if (!released.await(60, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("never released");
                            }
                        }
                        published.add(inbox.publish(RECEIVER, envelope(origin, s, origin + ":" + s))
                                .toCompletableFuture());
                    }
                } catch (Throwable e) {
                    problems.add(e);
                }
            }, "publisher-" + t);
            publisher.start();
            publishers.add(publisher);
        }
        assertThat(firstHalves.await(60, TimeUnit.SECONDS)).as("first halves published").isTrue();
        assertThat(published).hasSize(total / 2).noneMatch(CompletableFuture::isDone);
        release(held);
        released.countDown();
        for (Thread publisher : publishers) {
            publisher.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(publisher.isAlive()).as("publisher finished").isFalse();
        }
        assertThat(problems).isEmpty();
        assertThat(published).hasSize(total);
        awaitAll(published);

        await("every envelope read").atMost(Duration.ofSeconds(60)).until(() -> received.size() >= total);
        Map<String, List<Long>> byOrigin = new LinkedHashMap<>();
        synchronized (received) {
            assertThat(received).hasSize(total);
            for (Envelope e : received) {
                byOrigin.computeIfAbsent(e.origin().value(), o -> new ArrayList<>()).add(e.sequence());
                assertThat(e.text()).isEqualTo(e.origin().value() + ":" + e.sequence());
            }
        }
        List<Long> expected = LongStream.rangeClosed(1, each).boxed().toList();
        assertThat(byOrigin).hasSize(threads);
        byOrigin.forEach((origin, sequences) -> assertThat(sequences).as(origin).isEqualTo(expected));

        // Redis's own count: one script per batch, an XADD per envelope. The first halves
        // (4,000 envelopes, one in flight and the rest waiting) need at most 17 scripts, the
        // second at most one each, so fewer scripts than envelopes holds however the threads ran.
        long scripts = commandCalls("eval") + commandCalls("evalsha");
        assertThat(commandCalls("xadd")).isEqualTo(total);
        assertThat(scripts).isEqualTo(batches(metrics)).isLessThanOrEqualTo(total / 2 + 17).isLessThan(total);
    }

    @Test
    void whatPilesUpBehindTheCommandInFlightGoesOutAsOneCommand() throws Exception {
        RedisConnections redis = connect(Duration.ofSeconds(60), Metrics.noop());
        RecordingMetrics metrics = new RecordingMetrics();
        RedisNodeInbox inbox = inbox(redis, 10_000, Long.MAX_VALUE, metrics);
        server.command("CONFIG", "RESETSTAT");
        RedisFuture<?> held = hold(redis);
        int n = 200;
        List<CompletableFuture<Void>> published = new ArrayList<>();
        for (int s = 1; s <= n; s++) {
            published.add(inbox.publish(RECEIVER, envelope("sender", s, "m" + s)).toCompletableFuture());
        }
        assertThat(published).noneMatch(CompletableFuture::isDone);
        release(held);
        awaitAll(published);

        // The first went out alone (nothing was in flight), the other 199 waited and went together.
        assertThat(commandCalls("eval")).isEqualTo(2);
        assertThat(commandCalls("xadd")).isEqualTo(n);
        assertThat(commandCalls("pexpire")).isEqualTo(2);
        assertThat(batches(metrics)).isEqualTo(2);
        assertThat(server.command("XLEN", keys.inbox(RECEIVER))).isEqualTo(":" + n);
    }

    @Test
    void pastTheBoundAPublishIsRefusedAtOnceAndEverythingAcceptedArrivesAfterwards() throws Exception {
        RedisConnections redis = connect(Duration.ofSeconds(60), Metrics.noop());
        RecordingMetrics metrics = new RecordingMetrics();
        int bound = 50;
        RedisNodeInbox inbox = inbox(redis, bound, Long.MAX_VALUE, metrics);
        List<Envelope> received = read(inbox);
        RedisFuture<?> held = hold(redis);

        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        // One in flight (held behind the BLPOP) and `bound` waiting.
        for (int s = 1; s <= bound + 1; s++) {
            accepted.add(inbox.publish(RECEIVER, envelope("sender", s, "m" + s)).toCompletableFuture());
        }
        assertThat(accepted).noneMatch(CompletableFuture::isDone);
        for (int i = 0; i < 10; i++) {
            CompletableFuture<Void> refused = inbox.publish(RECEIVER, envelope("sender", 1_000 + i, "refused"))
                    .toCompletableFuture();
            assertThat(refused.isCompletedExceptionally()).as("refused on return, not later").isTrue();
            assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ClusterUnavailableException.class).hasMessageContaining("refused");
        }
        assertThat(metrics.counter("signaling.cluster.inbox.refused").orElseThrow().count()).isEqualTo(10.0);
        assertThat(metrics.gaugeValue("signaling.cluster.inbox.waiting")).contains((double) bound);
        // Another destination has a queue of its own.
        CompletableFuture<Void> elsewhere = inbox.publish(NodeId.of("elsewhere"), envelope("sender", 1, "other"))
                .toCompletableFuture();
        assertThat(elsewhere.isDone()).isFalse();

        release(held);
        awaitAll(accepted);
        elsewhere.get(30, TimeUnit.SECONDS);
        await("every accepted envelope read").atMost(Duration.ofSeconds(60)).until(() -> received.size() >= bound + 1);
        assertThat(received).extracting(Envelope::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, bound + 1).boxed().toList());
        // Once drained, the queue takes envelopes again.
        inbox.publish(RECEIVER, envelope("sender", bound + 2, "again")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= bound + 2);
        assertThat(received.get(bound + 1).text()).isEqualTo("again");
        assertThat(received).hasSize(bound + 2);
    }

    @Test
    void theBoundInCharactersRefusesLargeMessagesBeforeTheCountDoes() throws Exception {
        RedisConnections redis = connect(Duration.ofSeconds(60), Metrics.noop());
        String large = "x".repeat(10_000);
        // Room for two large envelopes (with their other fields), not three.
        RedisNodeInbox inbox = inbox(redis, 10_000, 25_000, Metrics.noop());
        RedisFuture<?> held = hold(redis);
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        for (int s = 1; s <= 3; s++) {
            accepted.add(inbox.publish(RECEIVER, envelope("sender", s, large)).toCompletableFuture());
        }
        assertThat(accepted).noneMatch(CompletableFuture::isDone);
        CompletableFuture<Void> refused = inbox.publish(RECEIVER, envelope("sender", 4, large)).toCompletableFuture();
        assertThat(refused.isCompletedExceptionally()).isTrue();
        // A small one still fits.
        CompletableFuture<Void> small = inbox.publish(RECEIVER, envelope("sender", 5, "small")).toCompletableFuture();
        assertThat(small.isDone()).isFalse();
        accepted.add(small);
        release(held);
        awaitAll(accepted);
        assertThat(server.command("XLEN", keys.inbox(RECEIVER))).isEqualTo(":4");
    }

    @Test
    void aBatchThatTimesOutFailsEverythingWaitingBehindItAtOnceAndNoneOfThatIsStoredLater() throws Exception {
        RedisConnections redis = connect(Duration.ofMillis(500), Metrics.noop());
        RecordingMetrics metrics = new RecordingMetrics();
        RedisNodeInbox inbox = inbox(redis, 10_000, Long.MAX_VALUE, metrics);
        // Redis keeps the BLPOP blocked although the client gives up on it after the command timeout.
        RedisFuture<?> held = hold(redis);
        int n = 20;
        List<CompletableFuture<Void>> published = new ArrayList<>();
        for (int s = 1; s <= n; s++) {
            published.add(inbox.publish(RECEIVER, envelope("sender", s, "m" + s)).toCompletableFuture());
        }
        // No release: each must still be answered, by a failure, without hanging.
        for (CompletableFuture<Void> future : published) {
            assertThatThrownBy(() -> future.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ClusterUnavailableException.class);
        }
        // Every command sent while the connection was held went out with the one envelope that found
        // the queue idle (usually one command; more only if this thread stalled past a timeout
        // between two publishes); those behind it were failed with it, not sent after it.
        long sent = batches(metrics);
        assertThat(sent).isBetween(1L, (long) n - 1);
        // The client gives up on the BLPOP by its own timeout; wait for that before releasing it in
        // Redis. Lettuce runs each expiry as a task of its own, so the batch's may run first, and an
        // element pushed before the BLPOP's expiry ran would answer it.
        assertThatThrownBy(() -> held.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        server.command("RPUSH", blocker(), "go");
        // A publish after the release goes through; it is behind the timed-out commands on the same
        // connection, so once it is stored Redis has run everything sent before it. Those timed-out
        // commands may land late, as any timed-out command; what waited behind them never does.
        inbox.publish(RECEIVER, envelope("sender", n + 1, "after")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(server.command("XLEN", keys.inbox(RECEIVER))).isEqualTo(":" + (sent + 1));
    }

    /**
     * Redis answering, but later than the queue fills: an envelope that waited longer than the
     * command timeout behind earlier ones fails instead of going out late (the batcher's clock is
     * moved by hand; the command in flight itself succeeds once the connection is released).
     */
    @Test
    void anEnvelopeThatWaitedLongerThanTheCommandTimeoutFailsInsteadOfGoingOutLate() throws Exception {
        RedisConnections redis = connect(Duration.ofSeconds(60), Metrics.noop());
        ManualNanoClock clock = new ManualNanoClock();
        RedisNodeInbox inbox = inbox(redis, 10_000, Long.MAX_VALUE, Metrics.noop(), clock);
        List<Envelope> received = read(inbox);
        RedisFuture<?> held = hold(redis);
        CompletableFuture<Void> inFlight = inbox.publish(RECEIVER, envelope("sender", 1, "m1")).toCompletableFuture();
        List<CompletableFuture<Void>> stale = new ArrayList<>();
        for (int s = 2; s <= 5; s++) {
            stale.add(inbox.publish(RECEIVER, envelope("sender", s, "m" + s)).toCompletableFuture());
        }
        clock.advance(Duration.ofSeconds(61));
        CompletableFuture<Void> fresh = inbox.publish(RECEIVER, envelope("sender", 6, "m6")).toCompletableFuture();
        assertThat(stale).noneMatch(CompletableFuture::isDone);
        assertThat(fresh.isDone()).isFalse();

        release(held);
        inFlight.get(30, TimeUnit.SECONDS);
        fresh.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<Void> future : stale) {
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ClusterUnavailableException.class)
                    .hasMessageContaining("waited longer than the command timeout");
        }
        await("the stored envelopes read").atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 2);
        assertThat(received).extracting(Envelope::sequence).containsExactly(1L, 6L);
        assertThat(server.command("XLEN", keys.inbox(RECEIVER))).isEqualTo(":2");
    }
}
