package io.signaling.application.health;

import io.signaling.domain.health.CheckResult;
import io.signaling.domain.health.HealthReport;
import io.signaling.domain.health.HealthStatus;
import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.health.HealthCheck.Probe;
import io.signaling.ports.health.HealthQuery;
import io.signaling.ports.log.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Aggregates {@link HealthCheck}s into liveness and readiness reports.
 *
 * <ul>
 *   <li>Readiness always starts with the built-in {@value #LIFECYCLE_CHECK} check: UP only in
 *       {@link LifecycleState#READY}, data {@code {"state":"READY"}}. It reads the state at every
 *       probe, never from the cache, so readiness fails at once when draining begins.</li>
 *   <li>Liveness is DOWN only once STOPPED, plus any check registered for the liveness probe
 *       (which must not depend on an external system); readiness checks never affect it.</li>
 *   <li>Checks of a probe run in parallel on a small bounded pool of named daemon threads, each
 *       bounded by the check timeout; a throw, a timeout, a {@code null} result or a saturated
 *       pool gives DOWN with {@code data.reason}. A check still running from an earlier timed-out
 *       probe is not started again (DOWN, "previous run still in progress"), so a hung
 *       dependency cannot eat the pool.</li>
 *   <li>Results are cached per probe for a TTL so that a probe storm does not hammer
 *       dependencies, and concurrent probes with an expired cache share one evaluation.</li>
 * </ul>
 *
 * <p>Thread-safety: safe for concurrent probes; a probe returns within about the check timeout.
 * {@link #close()} stops the pool.
 */
public final class HealthService implements HealthQuery, AutoCloseable {

    /** The name of the built-in check on the lifecycle state. */
    public static final String LIFECYCLE_CHECK = "lifecycle";

    private final Supplier<LifecycleState> lifecycleState;
    private final Duration checkTimeout;
    private final long checkTimeoutNanos;
    private final long cacheTtlNanos;
    private final LongSupplier nanoTime;
    private final Logger logger;
    private final ThreadPoolExecutor executor;
    private final List<Registered> checks = new CopyOnWriteArrayList<>();
    private final Map<Probe, ProbeState> probes = new EnumMap<>(Probe.class);

    private HealthService(Builder b) {
        this.lifecycleState = b.lifecycleState;
        this.checkTimeout = b.checkTimeout;
        this.checkTimeoutNanos = b.checkTimeout.toNanos();
        this.cacheTtlNanos = b.cacheTtl.toNanos();
        this.nanoTime = b.nanoTime;
        this.logger = b.logger;
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(b.queueCapacity), runnable -> {
                    Thread t = new Thread(runnable, "health-check-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.executor.allowCoreThreadTimeOut(true);
        for (Probe probe : Probe.values()) {
            probes.put(probe, new ProbeState());
        }
        b.checks.forEach(this::register);
    }

    /**
     * A builder for a service reading the lifecycle state from {@code lifecycleState}
     * (typically {@code lifecycleManager::state}).
     */
    public static Builder builder(Supplier<LifecycleState> lifecycleState) {
        return new Builder(lifecycleState);
    }

    /**
     * Adds a check; it counts from the next evaluation (cached results are kept until they expire).
     *
     * @throws IllegalArgumentException when a check with the same name is registered, or the name
     *                                  is {@value #LIFECYCLE_CHECK}
     */
    public HealthService register(HealthCheck check) {
        Objects.requireNonNull(check, "check");
        String name = Objects.requireNonNull(check.name(), "check.name()");
        if (name.isBlank()) {
            throw new IllegalArgumentException("health check name must not be blank: " + check);
        }
        if (LIFECYCLE_CHECK.equals(name)) {
            throw new IllegalArgumentException("health check name '" + LIFECYCLE_CHECK + "' is reserved");
        }
        synchronized (checks) {
            for (Registered r : checks) {
                if (r.name.equals(name)) {
                    throw new IllegalArgumentException("a health check named '" + name + "' is already registered");
                }
            }
            checks.add(new Registered(name, check, probesOf(check)));
        }
        return this;
    }

    /** The lifecycle state, read live. */
    public LifecycleState lifecycleState() {
        return lifecycleState.get();
    }

    /** Only liveness checks can make liveness wait; with none it is a state read. */
    @Override
    public boolean livenessMayBlock() {
        return checks.stream().anyMatch(r -> r.probes.contains(Probe.LIVENESS));
    }

    @Override
    public HealthReport liveness() {
        LifecycleState state = lifecycleState.get();
        List<CheckResult> results = new ArrayList<>();
        if (state == LifecycleState.STOPPED) {
            results.add(CheckResult.down(LIFECYCLE_CHECK, Map.of("state", state.name())));
        }
        results.addAll(evaluate(Probe.LIVENESS));
        return HealthReport.of(results);
    }

    @Override
    public HealthReport readiness() {
        LifecycleState state = lifecycleState.get();
        List<CheckResult> external = evaluate(Probe.READINESS);
        List<CheckResult> results = new ArrayList<>(external.size() + 1);
        results.add(new CheckResult(LIFECYCLE_CHECK,
                state == LifecycleState.READY ? HealthStatus.UP : HealthStatus.DOWN,
                Map.of("state", state.name())));
        results.addAll(external);
        return HealthReport.of(results);
    }

    /** Stops the check pool, interrupting running checks. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private List<CheckResult> evaluate(Probe probe) {
        ProbeState ps = probes.get(probe);
        Cached cached = ps.cached;
        if (cached != null && nanoTime.getAsLong() - cached.atNanos < cacheTtlNanos) {
            return cached.results;
        }
        CompletableFuture<List<CheckResult>> mine = new CompletableFuture<>();
        CompletableFuture<List<CheckResult>> running = ps.inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return awaitShared(probe, running);
        }
        try {
            // Another probe may have finished an evaluation between our cache read and the CAS.
            cached = ps.cached;
            List<CheckResult> results;
            if (cached != null && nanoTime.getAsLong() - cached.atNanos < cacheTtlNanos) {
                results = cached.results;
            } else {
                results = runChecks(probe);
                ps.cached = new Cached(results, nanoTime.getAsLong());
            }
            mine.complete(results);
            return results;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            ps.inFlight.set(null);
        }
    }

    private List<CheckResult> awaitShared(Probe probe, CompletableFuture<List<CheckResult>> running) {
        try {
            // The evaluation we join is itself bounded by the timeout; the slack covers scheduling.
            return running.get(checkTimeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return allDown(probe, "interrupted while waiting for the health evaluation");
        } catch (ExecutionException e) {
            return allDown(probe, "health evaluation failed: " + describe(e.getCause()));
        } catch (TimeoutException e) {
            return allDown(probe, timedOutReason());
        }
    }

    private List<CheckResult> allDown(Probe probe, String reason) {
        List<CheckResult> results = new ArrayList<>();
        for (Registered r : checks) {
            if (r.probes.contains(probe)) {
                results.add(CheckResult.down(r.name, reason));
            }
        }
        return List.copyOf(results);
    }

    private List<CheckResult> runChecks(Probe probe) {
        List<Registered> selected = new ArrayList<>();
        for (Registered r : checks) {
            if (r.probes.contains(probe)) {
                selected.add(r);
            }
        }
        if (selected.isEmpty()) {
            return List.of();
        }
        // Timeouts run on the real clock so that a fake cache clock can never stretch a probe.
        long deadline = System.nanoTime() + checkTimeoutNanos;
        List<Future<CheckResult>> futures = new ArrayList<>(selected.size());
        List<String> immediate = new ArrayList<>(selected.size());
        for (Registered r : selected) {
            Run previous = r.lastRun.get();
            if (previous != null && previous.busy()) {
                futures.add(null);
                immediate.add("previous run still in progress (timed out after " + checkTimeout.toMillis() + " ms)");
                continue;
            }
            try {
                Run run = new Run();
                run.future = executor.submit(() -> {
                    run.phase.set(Run.RUNNING);
                    try {
                        return r.check.check();
                    } finally {
                        run.phase.set(Run.FINISHED);
                    }
                });
                r.lastRun.set(run);
                futures.add(run.future);
                immediate.add(null);
            } catch (RejectedExecutionException e) {
                futures.add(null);
                immediate.add(executor.isShutdown() ? "health service is closed" : "health check pool saturated");
            }
        }
        List<CheckResult> results = new ArrayList<>(selected.size());
        for (int i = 0; i < selected.size(); i++) {
            Registered r = selected.get(i);
            Future<CheckResult> f = futures.get(i);
            CheckResult result = f == null
                    ? CheckResult.down(r.name, immediate.get(i))
                    : await(r, f, deadline);
            results.add(result);
        }
        return List.copyOf(results);
    }

    private CheckResult await(Registered r, Future<CheckResult> f, long deadline) {
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            CheckResult result = f.get(left, TimeUnit.NANOSECONDS);
            if (result == null) {
                return CheckResult.down(r.name, "check returned no result");
            }
            return result.name().equals(r.name) ? result : new CheckResult(r.name, result.status(), result.data());
        } catch (TimeoutException e) {
            f.cancel(true);
            logger.warn("health check timed out", "check", r.name, "timeout_ms", checkTimeout.toMillis());
            return CheckResult.down(r.name, timedOutReason());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            logger.warn("health check failed", "check", r.name, "reason", describe(cause));
            return CheckResult.down(r.name, describe(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return CheckResult.down(r.name, "interrupted while waiting for the check");
        } catch (CancellationException e) {
            return CheckResult.down(r.name, "check was cancelled");
        }
    }

    private String timedOutReason() {
        return "timed out after " + checkTimeout.toMillis() + " ms";
    }

    /** The exception's class and message, never its stack: the body is for operators, not code. */
    static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String type = e.getClass().getName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    private static final class Registered {
        final String name;
        final HealthCheck check;
        final Set<Probe> probes;
        final AtomicReference<Run> lastRun = new AtomicReference<>();

        Registered(String name, HealthCheck check, Set<Probe> probes) {
            this.name = name;
            this.check = check;
            this.probes = probes;
        }
    }

    /**
     * One submission of a check. A cancelled future reports done at once even while its thread is
     * still inside a check that ignores interrupts, so the phase is tracked by the task itself.
     */
    private static final class Run {
        static final int QUEUED = 0;
        static final int RUNNING = 1;
        static final int FINISHED = 2;

        final AtomicInteger phase = new AtomicInteger(QUEUED);
        volatile Future<CheckResult> future;

        boolean busy() {
            int p = phase.get();
            Future<CheckResult> f = future;
            return p == RUNNING || (p == QUEUED && f != null && !f.isDone());
        }
    }

    private static final class ProbeState {
        final AtomicReference<CompletableFuture<List<CheckResult>>> inFlight = new AtomicReference<>();
        volatile Cached cached;
    }

    private record Cached(List<CheckResult> results, long atNanos) {
    }

    /** Reads a check's probes once, defensively: a check is third-party code. */
    private static Set<Probe> probesOf(HealthCheck check) {
        Set<Probe> probes = check.probes();
        if (probes == null || probes.isEmpty()) {
            throw new IllegalArgumentException("health check '" + check.name() + "' takes part in no probe");
        }
        return Set.copyOf(probes);
    }

    /** Options of a {@link HealthService}. */
    public static final class Builder {
        private final Supplier<LifecycleState> lifecycleState;
        private final List<HealthCheck> checks = new ArrayList<>();
        private Duration checkTimeout = Duration.ofSeconds(2);
        private Duration cacheTtl = Duration.ofSeconds(1);
        private LongSupplier nanoTime = System::nanoTime;
        private Logger logger = Logger.noop();
        private int threads = 2;
        private int queueCapacity = 32;

        private Builder(Supplier<LifecycleState> lifecycleState) {
            this.lifecycleState = Objects.requireNonNull(lifecycleState, "lifecycleState");
        }

        public Builder check(HealthCheck check) {
            checks.add(Objects.requireNonNull(check, "check"));
            return this;
        }

        /** How long one check may run before it counts as DOWN; default 2 s. */
        public Builder checkTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("checkTimeout must be positive: " + timeout);
            }
            this.checkTimeout = timeout;
            return this;
        }

        /** How long results are reused; default 1 s; zero evaluates at every probe. */
        public Builder cacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("cacheTtl must not be negative: " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** The monotonic clock the cache TTL is measured on; {@code System::nanoTime} by default. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        public Builder logger(Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        /** Threads running checks; default 2. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Checks waiting for a thread before new ones are refused (DOWN); default 32. */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1: " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        public HealthService build() {
            return new HealthService(this);
        }
    }
}
