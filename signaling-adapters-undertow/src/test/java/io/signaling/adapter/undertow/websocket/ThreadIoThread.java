package io.signaling.adapter.undertow.websocket;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A real thread standing in for Undertow's I/O thread. */
final class ThreadIoThread implements IoThread, AutoCloseable {

    private volatile Thread thread;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "fake-io");
        t.setDaemon(true);
        thread = t;
        return t;
    });

    @Override
    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public void executeAfter(Runnable task, long delayNanos) {
        executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Waits until every task submitted so far has run. */
    void sync() throws Exception {
        executor.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
