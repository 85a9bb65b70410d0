package io.signaling.ports.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The read-back part of the {@link Metrics} contract, for implementations that record: a subclass
 * reads recorded values back from its backend. Includes every rule of {@link MetricsContract}.
 */
public abstract class RecordingMetricsContract extends MetricsContract {

    /** The counter's total, or {@code NaN} when no such counter exists. */
    protected abstract double counterValue(String name, Tags tags);

    /** How many times the timer recorded, or -1 when no such timer exists. */
    protected abstract long timerCount(String name, Tags tags);

    /** The timer's total time, or {@code NaN} when no such timer exists. */
    protected abstract double timerTotal(String name, Tags tags, TimeUnit unit);

    /** How many times the summary recorded, or -1 when no such summary exists. */
    protected abstract long summaryCount(String name, Tags tags);

    /** The summary's total amount, or {@code NaN} when no such summary exists. */
    protected abstract double summaryTotal(String name, Tags tags);

    /** The gauge's current value as a scrape would read it, or {@code NaN} when no such gauge exists. */
    protected abstract double gaugeValue(String name, Tags tags);

    private static final Tags GET_OK = Tags.of("method", "GET", "status", "200");

    @Test
    void counterCountsPerTagSet() {
        Metrics metrics = metrics();
        metrics.counter("signaling.messages", "Messages relayed", Tags.of("type", "offer")).increment();
        metrics.counter("signaling.messages", "Messages relayed", Tags.of("type", "offer")).increment(2);
        metrics.counter("signaling.messages", "Messages relayed", Tags.of("type", "answer")).increment();

        assertThat(counterValue("signaling.messages", Tags.of("type", "offer"))).isEqualTo(3.0);
        assertThat(counterValue("signaling.messages", Tags.of("type", "answer"))).isEqualTo(1.0);
    }

    @Test
    void counterIgnoresAmountsThatWouldMakeItGoDown() {
        Metrics.Counter counter = metrics().counter("signaling.errors", "Errors", Tags.empty());
        counter.increment(5);
        assertThatCode(() -> {
            counter.increment(-3);
            counter.increment(Double.NaN);
        }).doesNotThrowAnyException();
        assertThat(counterValue("signaling.errors", Tags.empty())).isEqualTo(5.0);
    }

    @Test
    void timerRecordsCountAndTotal() {
        Metrics.Timer timer = metrics().timer("http.server.requests", "HTTP requests", GET_OK);
        timer.recordNanos(TimeUnit.MILLISECONDS.toNanos(20));
        timer.record(Duration.ofMillis(30));

        assertThat(timerCount("http.server.requests", GET_OK)).isEqualTo(2);
        assertThat(timerTotal("http.server.requests", GET_OK, TimeUnit.MILLISECONDS)).isCloseTo(50.0, within(0.001));
    }

    @Test
    void timerIgnoresNegativeDurations() {
        Metrics.Timer timer = metrics().timer("signaling.relay", "Relay latency", Tags.empty());
        assertThatCode(() -> timer.recordNanos(-1)).doesNotThrowAnyException();
        timer.recordNanos(1_000_000);
        assertThat(timerCount("signaling.relay", Tags.empty())).isEqualTo(1);
    }

    @Test
    void summaryRecordsCountAndTotal() {
        Tags text = Tags.of("kind", "text");
        Metrics.Summary summary = metrics().summary("websocket.message.bytes", "Message sizes", "bytes", text);
        summary.record(100);
        summary.record(400);

        assertThat(summaryCount("websocket.message.bytes", text)).isEqualTo(2);
        assertThat(summaryTotal("websocket.message.bytes", text)).isEqualTo(500.0);
    }

    @Test
    void gaugeIsSampledFromItsSupplier() {
        AtomicLong rooms = new AtomicLong(3);
        metrics().gauge("signaling.rooms", "Open rooms", Tags.empty(), rooms::get);
        assertThat(gaugeValue("signaling.rooms", Tags.empty())).isEqualTo(3.0);
        rooms.set(7);
        assertThat(gaugeValue("signaling.rooms", Tags.empty())).isEqualTo(7.0);
    }

    @Test
    void gaugeSurvivesGarbageCollectionWhenTheCallerKeepsNoReference() {
        registerUnreferencedGauge(metrics());
        // A sentinel nobody holds: once it is collected, a collection has really happened.
        WeakReference<Object> sentinel = new WeakReference<>(new Object());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return sentinel.get() == null;
        });
        assertThat(gaugeValue("signaling.unreferenced", Tags.empty())).isEqualTo(42.0);
    }

    private static void registerUnreferencedGauge(Metrics metrics) {
        AtomicLong onlyTheGaugeHoldsThis = new AtomicLong(42);
        metrics.gauge("signaling.unreferenced", "Held only by the adapter", Tags.empty(), onlyTheGaugeHoldsThis::get);
    }

    @Test
    void gaugeWhoseSupplierThrowsReadsAsNaNAndDoesNotBreakTheScrape() {
        Metrics metrics = metrics();
        metrics.gauge("signaling.broken", "Broken", Tags.empty(), () -> {
            throw new IllegalStateException("supplier failed");
        });
        metrics.gauge("signaling.healthy", "Healthy", Tags.empty(), () -> 1);
        assertThat(gaugeValue("signaling.broken", Tags.empty())).isNaN();
        assertThat(gaugeValue("signaling.healthy", Tags.empty())).isEqualTo(1.0);
    }

    @Test
    void lookingUpTheSameMeterTwiceRecordsIntoOneSeries() {
        Metrics metrics = metrics();
        for (int i = 0; i < 10; i++) {
            metrics.counter("signaling.joins", "Joins", Tags.of("room_kind", "p2p")).increment();
            metrics.timer("signaling.join.latency", "Join latency", Tags.empty()).recordNanos(1_000_000);
        }
        assertThat(counterValue("signaling.joins", Tags.of("room_kind", "p2p"))).isEqualTo(10.0);
        assertThat(timerCount("signaling.join.latency", Tags.empty())).isEqualTo(10);
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        Metrics metrics = metrics();
        int threads = 4;
        int perThread = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            metrics.counter("signaling.concurrent", "Concurrent", Tags.empty()).increment();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                });
            }
            start.countDown();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(counterValue("signaling.concurrent", Tags.empty())).isEqualTo((double) threads * perThread);
    }

}
