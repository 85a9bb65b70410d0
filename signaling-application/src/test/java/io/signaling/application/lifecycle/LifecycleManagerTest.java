package io.signaling.application.lifecycle;

import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.lifecycle.Lifecycle;
import io.signaling.ports.log.Logger.Level;
import io.signaling.ports.testing.ManualNanoClock;
import io.signaling.ports.testing.RecordingLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class LifecycleManagerTest {

    private final RecordingLogger logger = new RecordingLogger();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<CountDownLatch> toRelease = new ArrayList<>();
    private ExecutorService executor;

    @AfterEach
    void tearDown() throws InterruptedException {
        toRelease.forEach(CountDownLatch::countDown);
        if (executor != null) {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** A component that records its start and stop, and what timeout it was given. */
    private class Component implements Lifecycle {
        final String name;
        final AtomicReference<Duration> stopTimeout = new AtomicReference<>();
        Exception startFailure;
        Runnable onStop = () -> { };
        boolean stopResult = true;

        Component(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() throws Exception {
            events.add("start:" + name);
            if (startFailure != null) {
                throw startFailure;
            }
        }

        @Override
        public boolean stop(Duration timeout) {
            stopTimeout.set(timeout);
            onStop.run();
            events.add("stop:" + name);
            return stopResult;
        }
    }

    private LifecycleManager manager() {
        return new LifecycleManager(logger);
    }

    @Test
    void startsInRegistrationOrderAndStopsInReverse() throws Exception {
        LifecycleManager manager = manager();
        manager.register(new Component("a")).register(new Component("b")).register(new Component("c"));
        assertThat(manager.componentNames()).containsExactly("a", "b", "c");

        manager.start();
        assertThat(events).containsExactly("start:a", "start:b", "start:c");
        assertThat(manager.markReady()).isTrue();
        assertThat(manager.state()).isEqualTo(LifecycleState.READY);

        assertThat(manager.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(events).containsExactly("start:a", "start:b", "start:c", "stop:c", "stop:b", "stop:a");
        assertThat(manager.state()).isEqualTo(LifecycleState.STOPPED);
        assertThat(logger.eventsWithMessage("component stopped"))
                .extracting(e -> e.get("component")).containsExactly("c", "b", "a");
        assertThat(logger.eventsWithMessage("all components stopped")).hasSize(1);
    }

    @Test
    void aFailingComponentStopsTheStartedOnesInReverseAndIsNamed() {
        LifecycleManager manager = manager();
        Component failing = new Component("http-listener");
        failing.startFailure = new java.net.BindException("Address already in use");
        manager.register(new Component("a")).register(new Component("b")).register(failing).register(new Component("d"));

        ComponentStartException e = catchThrowableOfType(ComponentStartException.class, manager::start);

        assertThat(e.component()).isEqualTo("http-listener");
        assertThat(e).hasMessageContaining("http-listener").hasMessageContaining("Address already in use");
        assertThat(e.getCause()).isSameAs(failing.startFailure);
        // The failing one is stopped too: its start may have half-happened (Lifecycle allows it).
        assertThat(events).containsExactly("start:a", "start:b", "start:http-listener",
                "stop:http-listener", "stop:b", "stop:a");
        assertThat(manager.state()).isEqualTo(LifecycleState.STOPPED);
        assertThat(logger.eventsWithMessage("component failed to start")).singleElement()
                .satisfies(ev -> assertThat(ev.error()).isSameAs(failing.startFailure));
        assertThatThrownBy(manager::markReady).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDeadlineIsSharedEachComponentGetsWhatRemains() {
        ManualNanoClock clock = new ManualNanoClock();
        LifecycleManager manager = new LifecycleManager(logger, clock, Duration.ofSeconds(1));
        Component first = new Component("first");
        Component slow = new Component("slow");
        slow.onStop = () -> clock.advance(Duration.ofSeconds(3));
        Component last = new Component("last");
        last.onStop = () -> clock.advance(Duration.ofSeconds(2));
        manager.register(first).register(slow).register(last);

        assertThatNoException(manager);
        assertThat(manager.stop(Duration.ofSeconds(10))).isTrue();

        assertThat(last.stopTimeout.get()).isEqualTo(Duration.ofSeconds(10));
        assertThat(slow.stopTimeout.get()).isEqualTo(Duration.ofSeconds(8));
        assertThat(first.stopTimeout.get()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aComponentUsingUpTheDeadlineLeavesZeroForTheRest() {
        ManualNanoClock clock = new ManualNanoClock();
        LifecycleManager manager = new LifecycleManager(logger, clock, Duration.ofSeconds(1));
        Component first = new Component("first");
        Component hog = new Component("hog");
        hog.onStop = () -> clock.advance(Duration.ofSeconds(30));
        manager.register(first).register(hog);

        assertThatNoException(manager);
        manager.stop(Duration.ofSeconds(10));

        assertThat(first.stopTimeout.get()).isEqualTo(Duration.ZERO);
        assertThat(events).contains("stop:first");
    }

    @Test
    void aStuckComponentIsLoggedWithWhereItHangsAndTheOthersStillStop() {
        CountDownLatch never = new CountDownLatch(1);
        toRelease.add(never);
        LifecycleManager manager = manager();
        Component other = new Component("other");
        Component stuck = new Component("stuck");
        stuck.onStop = () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        manager.register(other).register(stuck);
        assertThatNoException(manager);

        boolean clean = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> manager.stop(Duration.ofMillis(200)));

        assertThat(clean).isFalse();
        assertThat(events).containsExactly("start:other", "start:stuck", "stop:other");
        assertThat(manager.state()).isEqualTo(LifecycleState.STOPPED);
        RecordingLogger.Event stuckLine = logger.eventsWithMessage("component did not stop in time and is still running")
                .get(0);
        assertThat(stuckLine.level()).isEqualTo(Level.WARN);
        assertThat(stuckLine.get("component")).isEqualTo("stuck");
        assertThat(String.valueOf(stuckLine.get("stuck_at"))).contains("CountDownLatch.await");
        assertThat(logger.eventsWithMessage("shutdown incomplete: components still running or failed to stop"))
                .singleElement().satisfies(e -> assertThat(e.get("not_stopped")).isEqualTo("stuck"));
    }

    @Test
    void aComponentThatReportsAnUncleanStopOrThrowsMakesStopReturnFalse() {
        LifecycleManager manager = manager();
        Component unclean = new Component("unclean");
        unclean.stopResult = false;
        Component throwing = new Component("throwing");
        throwing.onStop = () -> {
            throw new IllegalStateException("boom");
        };
        Component fine = new Component("fine");
        manager.register(fine).register(unclean).register(throwing);
        assertThatNoException(manager);

        assertThat(manager.stop(Duration.ofSeconds(5))).isFalse();

        assertThat(events).endsWith("stop:unclean", "stop:fine");
        assertThat(logger.eventsWithMessage("component failed to stop")).singleElement()
                .satisfies(e -> assertThat(e.error()).hasMessage("boom"));
        assertThat(logger.eventsWithMessage("component did not stop cleanly in time")).singleElement()
                .satisfies(e -> assertThat(e.get("component")).isEqualTo("unclean"));
    }

    @Test
    void statesOnlyMoveForwardAndListenersSeeEveryTransitionInOrder() throws Exception {
        LifecycleManager manager = manager();
        List<String> transitions = new CopyOnWriteArrayList<>();
        manager.addListener((from, to) -> transitions.add(from + "->" + to));
        assertThat(manager.state()).isEqualTo(LifecycleState.STARTING);

        manager.start();
        assertThat(manager.markReady()).isTrue();
        assertThat(manager.markReady()).isFalse();
        assertThat(manager.beginDrain()).isTrue();
        assertThat(manager.markReady()).as("a late markReady must not resurrect readiness").isFalse();
        assertThat(manager.state()).isEqualTo(LifecycleState.DRAINING);
        assertThat(manager.beginDrain()).isFalse();
        assertThat(manager.stop(Duration.ofSeconds(1))).isTrue();
        assertThat(manager.beginDrain()).isFalse();

        assertThat(transitions).containsExactly("STARTING->READY", "READY->DRAINING", "DRAINING->STOPPED");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheTransition() throws Exception {
        LifecycleManager manager = manager();
        manager.addListener((from, to) -> {
            throw new IllegalStateException("listener bug");
        });
        manager.start();
        assertThat(manager.markReady()).isTrue();
        assertThat(manager.state()).isEqualTo(LifecycleState.READY);
        assertThat(logger.eventsWithMessage("lifecycle listener failed")).hasSize(1);
    }

    @Test
    void misuseIsRefusedWithAClearError() throws Exception {
        LifecycleManager manager = manager();
        assertThatThrownBy(manager::markReady).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before start() completed");
        manager.start();
        assertThatThrownBy(() -> manager.register(new Component("late")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'late'");
        assertThatThrownBy(manager::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopRunsOnceLaterCallsReturnTheSameResult() {
        LifecycleManager manager = manager();
        Component unclean = new Component("unclean");
        unclean.stopResult = false;
        manager.register(unclean);
        assertThatNoException(manager);

        assertThat(manager.stop(Duration.ofSeconds(1))).isFalse();
        assertThat(manager.stop(Duration.ofSeconds(1))).isFalse();
        assertThat(events).containsExactly("start:unclean", "stop:unclean");
    }

    @Test
    void aShutdownDuringStartAbortsTheRestAndStopsWhatStarted() throws Exception {
        executor = Executors.newFixedThreadPool(2);
        CountDownLatch inStart = new CountDownLatch(1);
        CountDownLatch releaseStart = new CountDownLatch(1);
        toRelease.add(releaseStart);
        LifecycleManager manager = manager();
        Component slowStart = new Component("slow-start") {
            @Override
            public void start() throws Exception {
                super.start();
                inStart.countDown();
                assertThat(releaseStart.await(10, TimeUnit.SECONDS)).isTrue();
            }
        };
        manager.register(slowStart).register(new Component("never"));

        Future<?> main = executor.submit(() -> {
            manager.start();
            return null;
        });
        assertThat(inStart.await(5, TimeUnit.SECONDS)).isTrue();
        // The signal thread: readiness flips at once, stop waits for the start in progress.
        Future<Boolean> signal = executor.submit(() -> manager.stop(Duration.ofSeconds(5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.state() == LifecycleState.DRAINING);
        releaseStart.countDown();

        assertThat(signal.get(5, TimeUnit.SECONDS)).isTrue();
        Throwable thrown = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                () -> main.get(5, TimeUnit.SECONDS)).getCause();
        assertThat(thrown).isInstanceOf(ComponentStartException.class).hasMessageContaining("aborted");
        assertThat(((ComponentStartException) thrown).component()).isEqualTo("never");
        assertThat(events).containsExactly("start:slow-start", "stop:slow-start");
        assertThat(manager.awaitState(LifecycleState.STOPPED, Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void awaitStateReturnsWhenAnotherThreadStops() throws Exception {
        executor = Executors.newSingleThreadExecutor();
        LifecycleManager manager = manager();
        manager.start();
        manager.markReady();
        assertThat(manager.awaitState(LifecycleState.STOPPED, Duration.ofMillis(50))).isFalse();

        Future<Boolean> waiter = executor.submit(() -> manager.awaitState(LifecycleState.STOPPED, Duration.ofSeconds(10)));
        manager.stop(Duration.ofSeconds(1));
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    }

    private static void assertThatNoException(LifecycleManager manager) {
        org.assertj.core.api.Assertions.assertThatCode(manager::start).doesNotThrowAnyException();
    }
}
