package io.signaling.adapter.undertow.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.websocket.SendFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbound rule without Undertow: bounded, one write in flight, FIFO, flush before close. */
class OutboundQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private final ExecutorService senders = Executors.newFixedThreadPool(4);
    private final RecordingEvents events = new RecordingEvents();

    @AfterEach
    void stop() {
        completions.shutdownNow();
        senders.shutdownNow();
    }

    static final class RecordingEvents implements OutboundQueue.Events {
        final AtomicInteger written = new AtomicInteger();
        final AtomicInteger writtenBytes = new AtomicInteger();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger flushed = new AtomicInteger();

        @Override
        public void written(int bytes) {
            written.incrementAndGet();
            writtenBytes.addAndGet(bytes);
        }

        @Override
        public void writeFailed(Throwable failure) {
            failures.add(failure);
        }

        @Override
        public void flushed() {
            flushed.incrementAndGet();
        }
    }

    private static OutboundQueue queue(FakeTransport transport, int maxMessages, long maxBytes,
                                       OutboundQueue.Events events) {
        OutboundQueue[] self = new OutboundQueue[1];
        self[0] = new OutboundQueue(maxMessages, maxBytes, text -> transport.sendText(text), events, System::nanoTime);
        transport.bind(self[0]);
        return self[0];
    }

    @Test
    void concurrentSendersGetOneWriteInFlightAndTheirOwnOrder() throws Exception {
        FakeTransport transport = new FakeTransport(completions::execute);
        OutboundQueue queue = queue(transport, 100_000, Long.MAX_VALUE, events);
        int perSender = 2_000;
        List<Future<?>> sent = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int sender = s;
            sent.add(senders.submit(() -> {
                for (int i = 0; i < perSender; i++) {
                    assertThat(queue.offer(sender + "-" + i, 1, null)).isEqualTo(OutboundQueue.Offer.QUEUED);
                }
            }));
        }
        for (Future<?> f : sent) {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        soon().until(() -> events.written.get() == 4 * perSender);

        assertThat(transport.overlapped()).as("a write started while another was in flight").isFalse();
        int[] next = new int[4];
        for (String frame : transport.frames()) {
            String[] parts = frame.substring("text:".length()).split("-");
            int sender = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).as("sender %d's order", sender).isEqualTo(next[sender]++);
        }
        assertThat(next).containsOnly(perSender);
        assertThat(queue.inFlight().writing()).isFalse();
    }

    @Test
    void boundsCountMessagesAndUtf8BytesTheWriteInFlightIncluded() {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        FakeTransport transport = new FakeTransport(held::add);
        OutboundQueue byCount = queue(transport, 3, Long.MAX_VALUE, events);
        for (int i = 0; i < 3; i++) {
            assertThat(byCount.offer("m" + i, 1, null)).isEqualTo(OutboundQueue.Offer.QUEUED);
        }
        CompletableFuture<Void> refused = new CompletableFuture<>();
        assertThat(byCount.offer("m3", 1, refused)).isEqualTo(OutboundQueue.Offer.FULL);
        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.handle((v, e) -> ((SendFailedException) e).reason()).join())
                .isEqualTo(SendFailedException.Reason.QUEUE_FULL);

        FakeTransport other = new FakeTransport(held::add);
        OutboundQueue byBytes = queue(other, 100, 10, events);
        assertThat(byBytes.offer("a", 6, null)).isEqualTo(OutboundQueue.Offer.QUEUED); // in flight
        assertThat(byBytes.offer("b", 5, null)).isEqualTo(OutboundQueue.Offer.FULL);
        assertThat(byBytes.offer("c", 4, null)).isEqualTo(OutboundQueue.Offer.QUEUED);
    }

    @Test
    void pendingBytesAreTheWaitingMessagesAndTheWriteInFlightUntilWrittenOrFailed() {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        FakeTransport transport = new FakeTransport(held::add);
        OutboundQueue queue = queue(transport, 100, Long.MAX_VALUE, events);
        assertThat(queue.pendingBytes()).isZero();

        queue.offer("a", 6, null); // in flight
        queue.offer("b", 5, null);
        queue.offer("c", 4, null);
        assertThat(queue.offer("large", 1_000, null)).isEqualTo(OutboundQueue.Offer.QUEUED);
        assertThat(queue.pendingBytes()).isEqualTo(1_015);

        held.poll().run(); // "a" written, "b" now in flight
        assertThat(queue.pendingBytes()).isEqualTo(1_009);

        queue.failAll(SendFailedException.Reason.TIMEOUT);
        assertThat(queue.pendingBytes()).isZero();
        held.poll().run(); // "b" completing late changes nothing
        assertThat(queue.pendingBytes()).isZero();
        assertThat(events.writtenBytes.get()).isEqualTo(6);
    }

    /** A transport that completes inside sendText must not make the queue recurse once per message. */
    @Test
    void writesCompletingInlineAreLoopedNotRecursed() {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        boolean[] inline = {false};
        List<Integer> depths = new ArrayList<>();
        FakeTransport transport = new FakeTransport(done -> {
            depths.add(Thread.currentThread().getStackTrace().length);
            if (inline[0]) {
                done.run();
            } else {
                held.add(done);
            }
        });
        OutboundQueue queue = queue(transport, 20_000, Long.MAX_VALUE, events);
        for (int i = 0; i < 10_000; i++) {
            queue.offer("m" + i, 1, null);
        }
        inline[0] = true;
        held.poll().run(); // the first write completes; the other 9,999 complete inline, one after another

        assertThat(events.written.get()).isEqualTo(10_000);
        assertThat(depths.subList(1, depths.size()).stream().mapToInt(Integer::intValue).max().orElseThrow()
                - depths.get(1)).as("stack growth over 9,999 inline completions").isLessThan(10);
    }

    @Test
    void closeAfterFlushWritesWhatWasQueuedRefusesTheRestAndReportsFlushedOnce() {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        FakeTransport transport = new FakeTransport(held::add);
        OutboundQueue queue = queue(transport, 100, Long.MAX_VALUE, events);
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.offer("m" + i, 1, done);
            queued.add(done);
        }
        assertThat(queue.closeAfterFlush()).as("a write is in flight: flush first").isTrue();
        CompletableFuture<Void> late = new CompletableFuture<>();
        assertThat(queue.offer("late", 1, late)).isEqualTo(OutboundQueue.Offer.CLOSED);
        assertThat(late).isCompletedExceptionally();

        Runnable done;
        while ((done = held.poll()) != null) {
            assertThat(events.flushed.get()).isZero();
            done.run();
        }
        assertThat(transport.frames()).containsExactly("text:m0", "text:m1", "text:m2");
        assertThat(queued).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(events.flushed.get()).isEqualTo(1);
        assertThat(queue.isFlushing()).isFalse();
        assertThat(queue.closeAfterFlush()).as("already closed").isFalse();
    }

    @Test
    void failAllFailsThePendingAndAWriteCompletingLateChangesNothing() {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        FakeTransport transport = new FakeTransport(held::add);
        OutboundQueue queue = queue(transport, 100, Long.MAX_VALUE, events);
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        queue.offer("m0", 1, first);
        queue.offer("m1", 1, second);

        queue.failAll(SendFailedException.Reason.TIMEOUT);
        held.poll().run();

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(second.handle((v, e) -> ((SendFailedException) e).reason()).join())
                .isEqualTo(SendFailedException.Reason.TIMEOUT);
        assertThat(transport.frames()).containsExactly("text:m0");
        assertThat(events.written.get()).isZero();
    }

    @Test
    void aFailedWriteFailsItsMessageAndIsReported() {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        FakeTransport transport = new FakeTransport(held::add);
        OutboundQueue queue = queue(transport, 100, Long.MAX_VALUE, events);
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.offer("m0", 1, done);
        queue.writeCompleted(new java.io.IOException("broken pipe"));

        assertThat(done).isCompletedExceptionally();
        assertThat(events.failures).singleElement().extracting(Throwable::getMessage).isEqualTo("broken pipe");
    }

    /** The race of commit 3496b0d, from the queue's side: completions racing a close never cut the flush short. */
    @Test
    void writesCompletingWhileTheCloseBeginsStillFlushEverything() throws Exception {
        for (int round = 0; round < 200; round++) {
            RecordingEvents roundEvents = new RecordingEvents();
            FakeTransport transport = new FakeTransport(completions::execute);
            OutboundQueue queue = queue(transport, 100_000, Long.MAX_VALUE, roundEvents);
            CountDownLatch go = new CountDownLatch(1);
            List<String> accepted = new CopyOnWriteArrayList<>();
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                int sender = s;
                sent.add(senders.submit(() -> {
                    go.await();
                    for (int i = 0; i < 50; i++) {
                        String text = sender + "-" + i;
                        if (queue.offer(text, 1, null) == OutboundQueue.Offer.QUEUED) {
                            accepted.add("text:" + text);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            Thread.yield();
            boolean flushing = queue.closeAfterFlush();
            for (Future<?> f : sent) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            if (flushing) {
                soon().until(() -> roundEvents.flushed.get() == 1);
            }
            soon().until(() -> roundEvents.written.get() == accepted.size());
            assertThat(transport.frames()).as("round %d", round).containsExactlyInAnyOrderElementsOf(accepted);
        }
    }

    /** Awaits a condition that is true within moments: polled every millisecond, not every 100 ms. */
    private static org.awaitility.core.ConditionFactory soon() {
        return org.awaitility.Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }
}
