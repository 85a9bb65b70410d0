package io.signaling.application.lifecycle;

import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.lifecycle.Lifecycle;
import io.signaling.ports.log.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Owns the node's {@link LifecycleState} and its {@link Lifecycle} components: starts them in
 * registration order, stops them in reverse within one shared deadline.
 *
 * <p>The state only moves forward (STARTING, READY, DRAINING, STOPPED); a late {@link #markReady()}
 * after a shutdown began is refused rather than resurrecting readiness.
 *
 * <p>Thread-safety: every method is safe to call from any thread. A signal thread typically calls
 * {@link #beginDrain()} and {@link #stop(Duration)} while the main thread is in {@link #start()}
 * or waits in {@link #awaitState}; a shutdown during start makes start abort before the next
 * component and stop what was started. {@link #stop(Duration)} runs once; later or concurrent
 * calls wait for it and return its result.
 *
 * <p>Each component's stop runs on its own daemon thread so that one stuck component cannot hold
 * the rest of the shutdown hostage: once its share of the deadline is used up it is logged with
 * where it was stuck, and the manager moves on to the next component.
 */
public final class LifecycleManager {

    /** A component whose share of the deadline is used up still gets this long to close forcibly. */
    static final long MIN_STOP_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final int STUCK_FRAMES = 8;

    private final Logger logger;
    private final LongSupplier nanoTime;
    private final Duration startFailureStopTimeout;

    private final Object stateLock = new Object();
    private volatile LifecycleState state = LifecycleState.STARTING;
    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();

    /** Serialises start and stop; guards the fields below. */
    private final ReentrantLock operationLock = new ReentrantLock();
    private final List<Lifecycle> components = new ArrayList<>();
    private final Deque<Lifecycle> toStop = new ArrayDeque<>();
    private boolean startCalled;
    private Boolean stopResult;
    private volatile boolean startCompleted;
    private volatile String starting;

    /** A manager on the system clock that gives components 10 s to stop after a failed start. */
    public LifecycleManager(Logger logger) {
        this(logger, System::nanoTime, Duration.ofSeconds(10));
    }

    /**
     * @param logger                  where starts, stops and transitions are logged
     * @param nanoTime                the monotonic clock deadlines are measured on
     * @param startFailureStopTimeout the deadline for stopping what started when a start fails
     */
    public LifecycleManager(Logger logger, LongSupplier nanoTime, Duration startFailureStopTimeout) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.startFailureStopTimeout = Objects.requireNonNull(startFailureStopTimeout, "startFailureStopTimeout");
        if (startFailureStopTimeout.isNegative()) {
            throw new IllegalArgumentException("startFailureStopTimeout must not be negative: " + startFailureStopTimeout);
        }
    }

    /** The current state; never cached, cheap (a volatile read). */
    public LifecycleState state() {
        return state;
    }

    /**
     * Adds a component; it starts after the ones registered before it and stops before them.
     *
     * @throws IllegalStateException once {@link #start()} was called
     */
    public LifecycleManager register(Lifecycle component) {
        Objects.requireNonNull(component, "component");
        operationLock.lock();
        try {
            if (startCalled) {
                throw new IllegalStateException("cannot register '" + nameOf(component) + "' after start()");
            }
            components.add(component);
            return this;
        } finally {
            operationLock.unlock();
        }
    }

    /** The names of the registered components, in start order. */
    public List<String> componentNames() {
        operationLock.lock();
        try {
            List<String> names = new ArrayList<>(components.size());
            for (Lifecycle c : components) {
                names.add(nameOf(c));
            }
            return List.copyOf(names);
        } finally {
            operationLock.unlock();
        }
    }

    public void addListener(LifecycleListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(LifecycleListener listener) {
        listeners.remove(listener);
    }

    /**
     * Starts every component in registration order. On a failure, or when a shutdown began
     * meanwhile, stops the components already started (and the failing one, whose start may have
     * half-happened) in reverse, moves to STOPPED and throws.
     *
     * @throws ComponentStartException naming the component that failed (or was next when aborted)
     * @throws IllegalStateException   when called twice
     */
    public void start() throws ComponentStartException {
        operationLock.lock();
        try {
            if (startCalled) {
                throw new IllegalStateException("start() was already called");
            }
            startCalled = true;
            long begin = nanoTime.getAsLong();
            for (Lifecycle component : components) {
                String name = nameOf(component);
                if (state != LifecycleState.STARTING) {
                    abortStart();
                    throw new ComponentStartException(name,
                            "start aborted before component '" + name + "': shutdown requested", null);
                }
                startOne(component, name);
            }
            startCompleted = true;
            logger.debug("all components started", "components", components.size(),
                    "duration_ms", millisSince(begin));
        } finally {
            operationLock.unlock();
        }
    }

    private void startOne(Lifecycle component, String name) throws ComponentStartException {
        starting = name;
        // Pushed before start: Lifecycle allows stopping a component whose start did not finish,
        // and a half-started component (a bound port) must be released.
        toStop.push(component);
        long begin = nanoTime.getAsLong();
        try {
            component.start();
        } catch (Exception e) {
            logger.error("component failed to start", e, "component", name);
            abortStart();
            throw new ComponentStartException(name,
                    "component '" + name + "' failed to start: " + describe(e), e);
        } catch (Error e) {
            logger.error("component failed to start", e, "component", name);
            abortStart();
            throw e;
        } finally {
            starting = null;
        }
        logger.debug("component started", "component", name, "duration_ms", millisSince(begin));
    }

    private void abortStart() {
        moveTo(LifecycleState.DRAINING);
        long deadline = nanoTime.getAsLong() + startFailureStopTimeout.toNanos();
        stopResult = stopAll(deadline);
        moveTo(LifecycleState.STOPPED);
    }

    /**
     * Moves STARTING to READY once {@link #start()} completed.
     *
     * @return {@code false} when a shutdown already began (the state stays as it is)
     * @throws IllegalStateException when start has not completed successfully
     */
    public boolean markReady() {
        if (!startCompleted) {
            throw new IllegalStateException("markReady() before start() completed");
        }
        return moveTo(LifecycleState.READY);
    }

    /**
     * Moves to DRAINING: readiness fails from now on while everything else keeps serving.
     *
     * @return {@code false} when already draining or stopped
     */
    public boolean beginDrain() {
        return moveTo(LifecycleState.DRAINING);
    }

    /**
     * Drains (if not already), then stops the started components in reverse order. The deadline is
     * shared: each component gets what remains of it. Logs each stop and every component that did
     * not stop in time with where it was stuck, then moves to STOPPED.
     *
     * @param deadline the time the whole stop may take
     * @return {@code true} when every component stopped cleanly within the deadline
     */
    public boolean stop(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        long end = nanoTime.getAsLong() + Math.max(0, deadline.toNanos());
        beginDrain();
        boolean locked;
        try {
            locked = operationLock.tryLock(Math.max(0, deadline.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            logger.warn("interrupted while waiting for start to finish before stopping");
            return false;
        }
        if (!locked) {
            logger.error("shutdown deadline passed while a component was still starting",
                    "still_running", String.valueOf(starting), "deadline_ms", deadline.toMillis());
            return false;
        }
        try {
            if (stopResult != null) {
                return stopResult;
            }
            boolean clean = stopAll(end);
            stopResult = clean;
            moveTo(LifecycleState.STOPPED);
            return clean;
        } finally {
            operationLock.unlock();
        }
    }

    /**
     * Waits until the state has reached {@code target} or a later state.
     *
     * @return whether it did within the timeout
     */
    public boolean awaitState(LifecycleState target, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(target, "target");
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (state.ordinal() < target.ordinal()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(stateLock, left);
            }
            return true;
        }
    }

    private boolean moveTo(LifecycleState next) {
        synchronized (stateLock) {
            LifecycleState from = state;
            if (!from.canMoveTo(next)) {
                return false;
            }
            state = next;
            // Start-up steps are DEBUG: the host's own "started" line is the first a user reads.
            // Draining and stopping are what an operator watches for.
            logger.log(next == LifecycleState.READY ? Logger.Level.DEBUG : Logger.Level.INFO,
                    "lifecycle state changed", null, new Object[] {"from", from.name(), "to", next.name()});
            for (LifecycleListener listener : listeners) {
                try {
                    listener.onTransition(from, next);
                } catch (RuntimeException e) {
                    logger.warn("lifecycle listener failed", e, "from", from.name(), "to", next.name());
                }
            }
            stateLock.notifyAll();
            return true;
        }
    }

    /** Caller holds the operation lock. */
    private boolean stopAll(long endNanos) {
        long begin = nanoTime.getAsLong();
        List<String> notStopped = new ArrayList<>();
        while (!toStop.isEmpty()) {
            Lifecycle component = toStop.pop();
            String name = nameOf(component);
            long remaining = Math.max(0, endNanos - nanoTime.getAsLong());
            if (!stopOne(component, name, remaining)) {
                notStopped.add(name);
            }
        }
        if (notStopped.isEmpty()) {
            logger.info("all components stopped", "duration_ms", millisSince(begin));
        } else {
            logger.warn("shutdown incomplete: components still running or failed to stop",
                    "not_stopped", String.join(",", notStopped), "duration_ms", millisSince(begin));
        }
        return notStopped.isEmpty();
    }

    private boolean stopOne(Lifecycle component, String name, long remainingNanos) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                done.complete(component.stop(Duration.ofNanos(remainingNanos)));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "lifecycle-stop-" + name);
        thread.setDaemon(true);
        long begin = nanoTime.getAsLong();
        thread.start();
        long timeoutMs = TimeUnit.NANOSECONDS.toMillis(remainingNanos);
        try {
            boolean clean = Boolean.TRUE.equals(
                    done.get(Math.max(remainingNanos, MIN_STOP_WAIT_NANOS), TimeUnit.NANOSECONDS));
            if (clean) {
                logger.info("component stopped", "component", name, "duration_ms", millisSince(begin));
            } else {
                logger.warn("component did not stop cleanly in time", "component", name,
                        "duration_ms", millisSince(begin), "timeout_ms", timeoutMs);
            }
            return clean;
        } catch (ExecutionException e) {
            logger.error("component failed to stop", e.getCause(), "component", name,
                    "duration_ms", millisSince(begin));
            return false;
        } catch (TimeoutException e) {
            logger.warn("component did not stop in time and is still running", "component", name,
                    "timeout_ms", timeoutMs, "stuck_at", stackOf(thread));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            logger.warn("interrupted while waiting for a component to stop", "component", name);
            return false;
        }
    }

    private static String stackOf(Thread thread) {
        StackTraceElement[] frames = thread.getStackTrace();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(frames.length, STUCK_FRAMES); i++) {
            if (i > 0) {
                sb.append(" <- ");
            }
            sb.append(frames[i]);
        }
        return sb.length() == 0 ? "finished meanwhile" : sb.toString();
    }

    private long millisSince(long beginNanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - beginNanos);
    }

    private static String nameOf(Lifecycle component) {
        try {
            String name = component.name();
            return name == null || name.isBlank() ? component.getClass().getName() : name;
        } catch (RuntimeException e) {
            return component.getClass().getName();
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
    }
}
