package io.signaling.application.health;

import io.signaling.domain.health.CheckResult;
import io.signaling.domain.health.HealthReport;
import io.signaling.domain.health.HealthStatus;
import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.testing.ManualNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class HealthServiceTest {

    private final AtomicReference<LifecycleState> state = new AtomicReference<>(LifecycleState.READY);
    private final ManualNanoClock clock = new ManualNanoClock();
    private final List<CountDownLatch> toRelease = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private HealthService service;

    @AfterEach
    void tearDown() throws InterruptedException {
        toRelease.forEach(CountDownLatch::countDown);
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).isFalse();
        }
        if (service != null) {
            service.close();
        }
    }

    private HealthService.Builder builder() {
        return HealthService.builder(state::get).nanoTime(clock).cacheTtl(Duration.ZERO);
    }

    private static HealthCheck check(String name, HealthCheck.Probe probe, java.util.concurrent.Callable<CheckResult> body) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult check() throws Exception {
                return body.call();
            }

            @Override
            public Set<Probe> probes() {
                return Set.of(probe);
            }
        };
    }

    private static HealthCheck readiness(String name, java.util.concurrent.Callable<CheckResult> body) {
        return check(name, HealthCheck.Probe.READINESS, body);
    }

    @Test
    void readyAndEveryCheckUpIsUpWithTheLifecycleCheckFirst() {
        service = builder().check(readiness("redis", () -> CheckResult.up("redis", Map.of("latency_ms", 3)))).build();

        HealthReport report = service.readiness();

        assertThat(report.status()).isEqualTo(HealthStatus.UP);
        assertThat(report.checks()).extracting(CheckResult::name).containsExactly("lifecycle", "redis");
        assertThat(report.checks().get(0).data()).isEqualTo(Map.of("state", "READY"));
        assertThat(report.checks().get(1).data()).isEqualTo(Map.of("latency_ms", 3));
    }

    @Test
    void notReadyUnlessReadyEvenWithEveryCheckUp() {
        service = builder().check(readiness("redis", () -> CheckResult.up("redis"))).build();
        for (LifecycleState s : List.of(LifecycleState.STARTING, LifecycleState.DRAINING, LifecycleState.STOPPED)) {
            state.set(s);
            HealthReport report = service.readiness();
            assertThat(report.status()).as("readiness in %s", s).isEqualTo(HealthStatus.DOWN);
            assertThat(report.checks().get(0))
                    .isEqualTo(new CheckResult("lifecycle", HealthStatus.DOWN, Map.of("state", s.name())));
        }
    }

    @Test
    void theLifecycleStateIsNeverCachedReadinessFlipsAtOnceOnDrain() {
        service = builder().cacheTtl(Duration.ofHours(1))
                .check(readiness("redis", () -> CheckResult.up("redis"))).build();
        assertThat(service.readiness().isUp()).isTrue();

        state.set(LifecycleState.DRAINING);

        assertThat(service.readiness().isUp()).isFalse();
    }

    @Test
    void aDownCheckMakesReadinessDownButNotLiveness() {
        service = builder().check(readiness("redis", () -> CheckResult.down("redis", "connection refused"))).build();

        HealthReport readiness = service.readiness();

        assertThat(readiness.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(readiness.checks().get(1).data()).isEqualTo(Map.of("reason", "connection refused"));
        assertThat(service.liveness().status()).isEqualTo(HealthStatus.UP);
        assertThat(service.liveness().checks()).isEmpty();
    }

    @Test
    void livenessIsUpUntilStoppedAndCountsOnlyLivenessChecks() {
        AtomicReference<HealthStatus> deadlock = new AtomicReference<>(HealthStatus.UP);
        service = builder()
                .check(check("deadlocks", HealthCheck.Probe.LIVENESS,
                        () -> new CheckResult("deadlocks", deadlock.get(), Map.of())))
                .check(readiness("redis", () -> CheckResult.down("redis", "down")))
                .build();
        for (LifecycleState s : List.of(LifecycleState.STARTING, LifecycleState.READY, LifecycleState.DRAINING)) {
            state.set(s);
            assertThat(service.liveness().status()).as("liveness in %s", s).isEqualTo(HealthStatus.UP);
        }
        assertThat(service.liveness().checks()).extracting(CheckResult::name).containsExactly("deadlocks");

        deadlock.set(HealthStatus.DOWN);
        assertThat(service.liveness().status()).isEqualTo(HealthStatus.DOWN);

        deadlock.set(HealthStatus.UP);
        state.set(LifecycleState.STOPPED);
        HealthReport stopped = service.liveness();
        assertThat(stopped.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(stopped.checks().get(0).data()).isEqualTo(Map.of("state", "STOPPED"));
    }

    @Test
    void aThrowingCheckIsDownWithTheExceptionButNoStack() {
        service = builder().check(readiness("redis", () -> {
            throw new IllegalStateException("redis refused the connection");
        })).build();

        CheckResult redis = service.readiness().checks().get(1);

        assertThat(redis.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(redis.data()).containsOnlyKeys("reason");
        assertThat(redis.data().get("reason"))
                .isEqualTo("java.lang.IllegalStateException: redis refused the connection");
    }

    @Test
    void aCheckReturningNullIsDownAndAWrongNameIsCorrected() {
        service = builder()
                .check(readiness("nothing", () -> null))
                .check(readiness("named", () -> CheckResult.up("other-name")))
                .build();

        List<CheckResult> checks = service.readiness().checks();

        assertThat(checks.get(1)).isEqualTo(CheckResult.down("nothing", "check returned no result"));
        assertThat(checks.get(2)).isEqualTo(CheckResult.up("named"));
    }

    @Test
    void aSlowCheckTimesOutAsDownWithoutHangingTheProbe() {
        CountDownLatch never = new CountDownLatch(1);
        toRelease.add(never);
        service = builder().checkTimeout(Duration.ofMillis(200))
                .check(readiness("slow", () -> {
                    never.await();
                    return CheckResult.up("slow");
                }))
                .check(readiness("fast", () -> CheckResult.up("fast")))
                .build();

        HealthReport report = assertTimeoutPreemptively(Duration.ofSeconds(5), service::readiness);

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.checks().get(1)).isEqualTo(CheckResult.down("slow", "timed out after 200 ms"));
        assertThat(report.checks().get(2).isUp()).isTrue();
    }

    @Test
    void aCheckThatIgnoresInterruptsIsNotStartedAgainWhileItStillRuns() {
        CountDownLatch release = new CountDownLatch(1);
        toRelease.add(release);
        AtomicInteger calls = new AtomicInteger();
        service = builder().checkTimeout(Duration.ofMillis(100))
                .check(readiness("stubborn", () -> {
                    calls.incrementAndGet();
                    boolean done = false;
                    while (!done) {
                        try {
                            done = release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException ignored) {
                            // deliberately deaf to cancellation, like a blocking driver call
                        }
                    }
                    return CheckResult.up("stubborn");
                }))
                .build();

        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), service::readiness).checks().get(1).data())
                .isEqualTo(Map.of("reason", "timed out after 100 ms"));
        CheckResult second = assertTimeoutPreemptively(Duration.ofSeconds(5), service::readiness).checks().get(1);

        assertThat(second.status()).isEqualTo(HealthStatus.DOWN);
        assertThat((String) second.data().get("reason")).startsWith("previous run still in progress");
        assertThat(calls).hasValue(1);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> service.readiness().isUp());
        assertThat(calls).hasValue(2);
    }

    @Test
    void resultsAreCachedForTheTtl() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<HealthStatus> redis = new AtomicReference<>(HealthStatus.UP);
        service = builder().cacheTtl(Duration.ofSeconds(5))
                .check(readiness("redis", () -> {
                    calls.incrementAndGet();
                    return new CheckResult("redis", redis.get(), Map.of());
                }))
                .build();

        assertThat(service.readiness().isUp()).isTrue();
        redis.set(HealthStatus.DOWN);
        clock.advance(Duration.ofMillis(4_999));
        assertThat(service.readiness().isUp()).as("still the cached result").isTrue();
        assertThat(calls).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(service.readiness().isUp()).isFalse();
        assertThat(calls).hasValue(2);
    }

    @Test
    void concurrentProbesShareOneInFlightEvaluation() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        toRelease.add(release);
        AtomicInteger calls = new AtomicInteger();
        service = builder().checkTimeout(Duration.ofSeconds(10))
                .check(readiness("db", () -> {
                    calls.incrementAndGet();
                    entered.countDown();
                    release.await();
                    return CheckResult.up("db");
                }))
                .build();
        List<HealthReport> reports = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> reports.add(service.readiness()), "probe-" + i);
            threads.add(t);
            t.start();
        }
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        // Every probe thread parks: one on the check, the others on the shared evaluation.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));

        release.countDown();
        for (Thread t : threads) {
            t.join(5_000);
        }

        assertThat(reports).hasSize(8).allMatch(HealthReport::isUp);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aSaturatedPoolGivesDownRatherThanWaiting() {
        CountDownLatch never = new CountDownLatch(1);
        toRelease.add(never);
        HealthService.Builder b = builder().threads(1).queueCapacity(1).checkTimeout(Duration.ofMillis(300));
        for (int i = 0; i < 3; i++) {
            String name = "blocked-" + i;
            b.check(readiness(name, () -> {
                never.await();
                return CheckResult.up(name);
            }));
        }
        service = b.build();

        HealthReport report = assertTimeoutPreemptively(Duration.ofSeconds(5), service::readiness);

        assertThat(report.checks()).extracting(c -> c.data().get("reason"))
                .containsExactly(null, "timed out after 300 ms", "timed out after 300 ms", "health check pool saturated");
    }

    @Test
    void registrationIsValidated() {
        service = builder().check(readiness("redis", () -> CheckResult.up("redis"))).build();
        assertThatThrownBy(() -> service.register(readiness("redis", () -> null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'redis' is already registered");
        assertThatThrownBy(() -> service.register(readiness("lifecycle", () -> null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> builder().checkTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkTimeout");
    }

    @Test
    void checkThreadsAreNamedDaemons() {
        AtomicReference<Thread> ran = new AtomicReference<>();
        service = builder().check(readiness("who", () -> {
            ran.set(Thread.currentThread());
            return CheckResult.up("who");
        })).build();

        service.readiness();

        assertThat(ran.get().getName()).startsWith("health-check-");
        assertThat(ran.get().isDaemon()).isTrue();
    }
}
