package io.signaling.adapter.undertow.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.log.Logger;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.WebSocketListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's side without Undertow: one event at a time, in order, onClose last, once, and as its own task. */
class ListenerEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long LONG_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final ThreadIoThread io = new ThreadIoThread();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        io.close();
        threads.shutdownNow();
    }

    @Test
    void eventsRaisedOnManyThreadsRunOneAtATimeInEachThreadsOrder() throws Exception {
        SerialEvents serial = new SerialEvents(io, Logger.noop());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
        int perThread = 5_000;
        List<Future<?>> raisers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            seen.put(thread, new CopyOnWriteArrayList<>());
            raisers.add(threads.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    int n = i;
                    Runnable event = () -> {
                        if (running.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        seen.get(thread).add(n);
                        running.decrementAndGet();
                    };
                    if (n % 3 == 0) {
                        serial.deliverLater(event);
                    } else if (n % 3 == 1) {
                        serial.deliver(event);
                    } else {
                        io.execute(() -> serial.deliver(ignored -> event.run(), n)); // from the I/O thread itself
                    }
                }
            }));
        }
        for (Future<?> f : raisers) {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        soon().until(() -> seen.values().stream().mapToInt(List::size).sum() == 4 * perThread);

        assertThat(overlaps.get()).as("events that overlapped another").isZero();
        for (int t = 0; t < 4; t++) {
            List<Integer> order = seen.get(t);
            // Events a thread hands to the I/O thread keep their order among themselves; the direct ones too.
            assertThat(order.stream().filter(n -> n % 3 != 2).toList()).isSorted();
            assertThat(order.stream().filter(n -> n % 3 == 2).toList()).isSorted();
        }
    }

    /**
     * Commit 0e40076: Undertow reports a dropped socket from inside its monitor on the channel, on
     * the I/O thread; onClose takes a room's lock, which a writer to this channel may hold while it
     * waits for that monitor. Run inline, onClose deadlocks against that writer; as its own task it
     * runs once the monitor is released.
     */
    @Test
    void onCloseRunsAsItsOwnTaskNeverInsideTheReportersMonitor() throws Exception {
        Object channelMonitor = new Object();
        Object roomLock = new Object();
        CountDownLatch onCloseDone = new CountDownLatch(1);
        List<Boolean> heldMonitor = new CopyOnWriteArrayList<>();
        List<Thread> onCloseThread = new CopyOnWriteArrayList<>();
        WebSocketListener listener = new WebSocketListener() {
            @Override
            public void onClose(WebSocketConnection connection, int code, String reason) {
                heldMonitor.add(Thread.holdsLock(channelMonitor));
                onCloseThread.add(Thread.currentThread());
                synchronized (roomLock) {
                    onCloseDone.countDown();
                }
            }
        };
        ConnectionPartsHarness connection = new ConnectionPartsHarness(io, Runnable::run, listener, LONG_NANOS);

        // A writer holds the room's lock and waits for the channel's monitor.
        CountDownLatch writerHasRoom = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            synchronized (roomLock) {
                writerHasRoom.countDown();
                synchronized (channelMonitor) {
                    connection.send("to the closing channel");
                }
            }
        }, "room-writer");
        writer.setDaemon(true);

        List<Boolean> reportedInline = new CopyOnWriteArrayList<>();
        io.execute(() -> {
            synchronized (channelMonitor) { // Undertow's close task
                writer.start();
                try {
                    writerHasRoom.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                soon().until(() -> writer.getState() == Thread.State.BLOCKED);
                connection.close.transportClosed(CloseCodes.ABNORMAL, "");
                reportedInline.add(onCloseDone.getCount() == 0);
            }
        });

        assertThat(onCloseDone.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("onClose ran (no deadlock)").isTrue();
        writer.join(WAIT.toMillis());
        assertThat(writer.isAlive()).isFalse();
        assertThat(reportedInline).containsExactly(false);
        assertThat(heldMonitor).containsExactly(false);
        io.sync();
        assertThat(onCloseThread).singleElement().matches(t -> t.getName().equals("fake-io"));
    }

    @Test
    void onCloseComesLastAndOnceAndNothingFollowsIt() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        WebSocketListener listener = new WebSocketListener() {
            @Override
            public void onText(WebSocketConnection connection, String text) {
                heard.add("text:" + text);
            }

            @Override
            public void onError(WebSocketConnection connection, Throwable error) {
                heard.add("error");
            }

            @Override
            public void onClose(WebSocketConnection connection, int code, String reason) {
                heard.add("close:" + code);
            }
        };
        ConnectionPartsHarness connection = new ConnectionPartsHarness(io, Runnable::run, listener, LONG_NANOS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            racers.add(threads.submit(() -> {
                go.await();
                connection.close.transportClosed(CloseCodes.NORMAL, "");
                return null;
            }));
        }
        connection.events.text(new TextFrame("before", 6));
        go.countDown();
        for (Future<?> f : racers) {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        connection.events.text(new TextFrame("after", 5));
        connection.events.error(new RuntimeException("late"));
        io.sync();
        io.sync();

        assertThat(heard).containsExactly("text:before", "close:1000");
    }

    /** Awaits a condition that is true within moments: polled every millisecond, not every 100 ms. */
    private static org.awaitility.core.ConditionFactory soon() {
        return org.awaitility.Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }
}
