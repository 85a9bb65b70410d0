package io.signaling.adapter.undertow.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.SendFailedException;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.WebSocketListener;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The close rules without Undertow: orderly close flushes first, the first cause wins, reported and finished once. */
class CloseHandshakeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long LONG_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final ThreadIoThread io = new ThreadIoThread();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        io.close();
        threads.shutdownNow();
    }

    /** Records onClose calls. */
    static final class Closes implements WebSocketListener {
        final List<String> closes = new CopyOnWriteArrayList<>();

        @Override
        public void onClose(WebSocketConnection connection, int code, String reason) {
            closes.add(code + ":" + reason);
        }
    }

    private static List<String> texts(List<String> frames) {
        return frames.stream().filter(f -> f.startsWith("text:")).toList();
    }

    /**
     * Commit 3496b0d: a write completing on the I/O thread just after the close cause was set, but
     * before the flush was decided, stopped the flush, and the close frame overtook the queued
     * messages (the contract test once saw 194 of 400). Here that completion is forced into exactly
     * that window, every time.
     */
    @Test
    void aWriteCompletingAsTheCloseBeginsDoesNotLetTheCloseFrameOvertakeTheQueue() throws Exception {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        Closes listener = new Closes();
        ConnectionPartsHarness connection = new ConnectionPartsHarness(io, held::add, listener, LONG_NANOS);
        for (int i = 0; i < 400; i++) {
            connection.send("m" + i);
        }
        // In the window between "closing" and the flush decision, the write in flight completes on
        // the I/O thread (which starts the next write); the rest complete after the close returned.
        connection.onBegan = () -> {
            try {
                io.execute(() -> held.poll().run());
                io.sync();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        threads.submit(() -> {
            connection.close(CloseCodes.NORMAL, "bye");
            return null;
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        soon().until(() -> {
            io.execute(() -> drain(held));
            return connection.transport.frames().stream().anyMatch(f -> f.startsWith("close:"));
        });

        List<String> frames = connection.transport.frames();
        assertThat(texts(frames)).hasSize(400);
        assertThat(frames.get(400)).as("the close frame comes after all 400 messages").isEqualTo("close:1000:bye");
        soon().until(() -> listener.closes.size() == 1);
        assertThat(listener.closes).containsExactly("1000:bye");
    }

    private static void drain(ConcurrentLinkedQueue<Runnable> held) {
        Runnable done;
        while ((done = held.poll()) != null) {
            done.run();
        }
    }

    /** Senders, completions and the close on different threads: what was accepted is written, then the close frame. */
    @Test
    void theCloseFrameFollowsEveryAcceptedMessageUnderConcurrentSenders() throws Exception {
        for (int round = 0; round < 100; round++) {
            Closes listener = new Closes();
            ConnectionPartsHarness connection = new ConnectionPartsHarness(io, io::execute, listener, LONG_NANOS);
            CountDownLatch go = new CountDownLatch(1);
            List<String> accepted = new CopyOnWriteArrayList<>();
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                int sender = s;
                sent.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 40; i++) {
                        String text = sender + "-" + i;
                        var done = connection.send(text).toCompletableFuture();
                        if (!done.isCompletedExceptionally()) {
                            accepted.add("text:" + text);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            Thread.yield();
            connection.close(CloseCodes.GOING_AWAY, "drain");
            for (Future<?> f : sent) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            soon().until(() -> listener.closes.size() == 1);

            List<String> frames = connection.transport.frames();
            assertThat(frames.get(frames.size() - 1)).as("round %d: the close frame is last", round)
                    .isEqualTo("close:1001:drain");
            assertThat(frames.subList(0, frames.size() - 1)).as("round %d", round)
                    .containsExactlyInAnyOrderElementsOf(accepted);
        }
    }

    /**
     * A drain's close (fault 1 of docs/reliability.md): a peer that reads slower than it is sent to
     * has a backlog; at the close's budget the waiting messages are dropped, so the final message
     * (goaway) and the close frame go right after the write in flight, instead of after the backlog
     * or an abort at the send timeout.
     */
    @Test
    void aBoundedCloseDropsTheBacklogAtItsBudgetSoTheLastMessageAndTheCloseFrameStillGoOut() {
        ManualIoThread manual = new ManualIoThread();
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        ConnectionPartsHarness connection = new ConnectionPartsHarness(manual, held::add, new Closes(),
                TimeUnit.SECONDS.toNanos(10));
        connection.send("in-flight");
        List<CompletableFuture<Void>> backlog = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            backlog.add(connection.send("queued-" + i).toCompletableFuture());
        }
        connection.sendLastAndClose(TextFrame.of("goaway"), CloseCodes.GOING_AWAY, "bye", Duration.ofSeconds(2));
        connection.send("after the close").toCompletableFuture();

        manual.advance(TimeUnit.MILLISECONDS.toNanos(1_999));
        assertThat(backlog).noneMatch(CompletableFuture::isDone);
        manual.advance(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(backlog).allMatch(CompletableFuture::isCompletedExceptionally);

        held.poll().run(); // the write in flight completes: the goaway is next
        held.poll().run(); // the goaway is written: the close frame follows
        assertThat(connection.transport.frames())
                .containsExactly("text:in-flight", "text:goaway", "close:1001:bye");
    }

    /** Within its budget a bounded close loses nothing: every queued message, then the last, then the close frame. */
    @Test
    void aBoundedCloseWithinItsBudgetWritesEverythingQueuedBeforeTheLastMessage() {
        ManualIoThread manual = new ManualIoThread();
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        ConnectionPartsHarness connection = new ConnectionPartsHarness(manual, held::add, new Closes(),
                TimeUnit.SECONDS.toNanos(10));
        connection.send("a");
        connection.send("b");
        connection.sendLastAndClose(TextFrame.of("goaway"), CloseCodes.GOING_AWAY, "bye", Duration.ofSeconds(2));
        manual.advance(TimeUnit.MILLISECONDS.toNanos(1_000));
        drain(held);
        manual.advance(TimeUnit.MILLISECONDS.toNanos(1_500)); // past the budget: nothing left to drop
        assertThat(connection.transport.frames()).containsExactly("text:a", "text:b", "text:goaway", "close:1001:bye");
    }

    @Test
    void aFlushThatDoesNotFinishWithinTheSendTimeoutIsAborted() {
        ManualIoThread manual = new ManualIoThread();
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        ConnectionPartsHarness connection = new ConnectionPartsHarness(manual, held::add, new Closes(),
                TimeUnit.SECONDS.toNanos(10));
        connection.send("stuck");
        connection.send("queued");
        connection.close(CloseCodes.NORMAL, "bye");
        manual.advance(TimeUnit.SECONDS.toNanos(9));
        assertThat(connection.transport.frames()).containsExactly("text:stuck");

        manual.advance(TimeUnit.SECONDS.toNanos(1));
        assertThat(connection.transport.frames()).containsExactly("text:stuck", "abort");
    }

    @Test
    void theFirstCauseWinsAndTheCloseIsReportedAndFinishedOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            Closes listener = new Closes();
            ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
            ConnectionPartsHarness connection = new ConnectionPartsHarness(io, held::add, listener, LONG_NANOS);
            connection.send("pending");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> racers = List.of(
                    threads.submit(() -> {
                        go.await();
                        connection.close.transportClosed(CloseCodes.NORMAL, "peer");
                        return null;
                    }),
                    threads.submit(() -> {
                        go.await();
                        connection.close.closeNow(CloseCodes.POLICY_VIOLATION, "slow consumer", "slow_consumer",
                                SendFailedException.Reason.TIMEOUT, false);
                        return null;
                    }),
                    threads.submit(() -> {
                        go.await();
                        connection.close(CloseCodes.GOING_AWAY, "drain");
                        return null;
                    }));
            go.countDown();
            for (Future<?> f : racers) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            connection.close.channelClosed();
            soon().until(() -> connection.finished.get() == 1);
            io.sync();

            assertThat(connection.began.get()).as("round %d: began", round).isEqualTo(1);
            assertThat(listener.closes).as("round %d", round).hasSize(1)
                    .first().isIn("1000:peer", "1008:slow consumer", "1001:drain");
            assertThat(connection.finished.get()).isEqualTo(1);
            long closeFrames = connection.transport.frames().stream().filter(f -> f.startsWith("close:")).count();
            assertThat(closeFrames).as("round %d: our close frames", round).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void finishedOnlyWhenBothTheSocketIsGoneAndOnCloseReturned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WebSocketListener slowOnClose = new WebSocketListener() {
            @Override
            public void onClose(WebSocketConnection connection, int code, String reason) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ConnectionPartsHarness connection = new ConnectionPartsHarness(io, Runnable::run, slowOnClose, LONG_NANOS);
        connection.close.transportClosed(CloseCodes.NORMAL, "");
        connection.close.channelClosed();
        assertThat(connection.finished.get()).as("onClose has not returned").isZero();
        release.countDown();
        soon().until(() -> connection.finished.get() == 1);
    }

    @Test
    void reasonsAreCutToWhatAFrameCarriesWithoutSplittingACharacter() {
        assertThat(CloseHandshake.truncateReason(null)).isEmpty();
        assertThat(CloseHandshake.truncateReason("short")).isEqualTo("short");
        String euros = "\u20ac".repeat(50); // 150 bytes
        String cut = CloseHandshake.truncateReason(euros);
        assertThat(cut).isEqualTo("\u20ac".repeat(41)); // 123 bytes
    }

    /** Awaits a condition that is true within moments: polled every millisecond, not every 100 ms. */
    private static org.awaitility.core.ConditionFactory soon() {
        return org.awaitility.Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }
}
