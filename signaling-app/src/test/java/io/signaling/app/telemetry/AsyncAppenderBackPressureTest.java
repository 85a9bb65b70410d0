package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The async hand-off with a sink that is stuck: callers must not wait, and WARN/ERROR keep a reserve. */
class AsyncAppenderBackPressureTest {

    private static final int QUEUE_SIZE = 10;

    private final LoggerContext context = new LoggerContext();
    private final BlockingSink sink = new BlockingSink();
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() throws InterruptedException {
        sink.release.countDown();
        context.stop();
        caller.shutdownNow();
        assertThat(caller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Records events, but the first one blocks until released, like a stdout nobody reads. */
    private static final class BlockingSink extends AppenderBase<ILoggingEvent> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<ILoggingEvent> received = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            received.add(event);
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void callersNeverBlockAndInfoIsDroppedBeforeWarn() throws Exception {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        sink.setContext(context);
        sink.start();
        CountingAsyncAppender async = LogbackSetup.asyncAppender(context, QUEUE_SIZE, false, sink);
        Logger log = context.getLogger("burst");
        log.setLevel(Level.DEBUG);
        log.addAppender(async);

        log.info("blocker");
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).as("worker reached the stuck sink").isTrue();

        // With the sink stuck, these 1,000 calls can only finish if logging never waits for it.
        Future<?> burst = caller.submit(() -> {
            for (int i = 0; i < 1000; i++) {
                log.info("info {}", i);
            }
            for (int i = 0; i < 5; i++) {
                log.warn("warn {}", i);
            }
            log.debug("debug after full");
        });
        burst.get(10, TimeUnit.SECONDS);
        assertThat(sink.received).hasSize(1);
        long droppedWhileStuck = async.dropped();

        sink.release.countDown();
        async.stop();

        int reserve = Math.max(1, QUEUE_SIZE / 5);
        List<String> messages = sink.received.stream().map(ILoggingEvent::getFormattedMessage).toList();
        long infos = messages.stream().filter(m -> m.startsWith("info ")).count();
        long warns = messages.stream().filter(m -> m.startsWith("warn ")).count();
        assertThat(messages.get(0)).isEqualTo("blocker");
        assertThat(infos).as("INFO stops when only the reserve is free").isEqualTo(QUEUE_SIZE - reserve);
        assertThat(warns).as("WARN fills the reserve, then is dropped too").isEqualTo(reserve);
        assertThat(messages).doesNotContain("debug after full");
        // Every event not written was counted as dropped, and all of them while the sink was stuck.
        assertThat(async.dropped()).as("dropped = emitted - written")
                .isEqualTo(1 + 1000 + 5 + 1 - messages.size())
                .isEqualTo(droppedWhileStuck);
        // Order of what was kept is preserved.
        assertThat(messages.subList(1, 1 + (int) infos)).isSorted();
    }

    @Test
    void thresholdKeepsAReserveOfAFifthAndAtLeastOneSlot() {
        assertThat(LogbackSetup.discardingThreshold(8192)).isEqualTo(1639);
        assertThat(LogbackSetup.discardingThreshold(10)).isEqualTo(3);
        assertThat(LogbackSetup.discardingThreshold(2)).isEqualTo(2);
        assertThat(LogbackSetup.discardingThreshold(1)).isEqualTo(1);
    }
}
