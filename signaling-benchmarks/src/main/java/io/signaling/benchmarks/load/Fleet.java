package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The set of WebSockets of one run, on one shared {@link HttpClient} and executor: one selector
 * thread and a small pool serve every socket, which is what lets one process hold 10,000.
 */
final class Fleet implements AutoCloseable {

    final HttpClient client;
    private final ExecutorService executor;
    final ErrorCounts errors = new ErrorCounts();
    final List<WsSession> sessions = new ArrayList<>();
    final AtomicInteger connectFailures = new AtomicInteger();
    final AtomicReference<String> firstFailure = new AtomicReference<>();
    final AtomicInteger opening = new AtomicInteger();
    /** Sessions whose welcome or join failed. */
    int joinFailures;
    /** Sessions whose join was acknowledged so far (for progress lines). */
    final AtomicInteger joinedCount = new AtomicInteger();
    private boolean accepting = true;
    final String roomPrefix = "lt-" + UUID.randomUUID().toString().substring(0, 8);

    /** The selector client when this fleet uses it; null on the JDK client. */
    private final NioWebSockets nio;
    /** Protocol v1.1 with resume ({@code --protocol v1.1}); false: v1. */
    private final boolean v11;
    /** What the v1.1 sessions lived through; empty on v1. */
    final ResumeStats resumeStats = new ResumeStats();
    private java.util.concurrent.ScheduledExecutorService resumeTimer;

    /** A fleet on the JDK client. */
    Fleet() {
        this(false);
    }

    /**
     * A fleet on the JDK client, or with {@code useNio} on {@link NioWebSockets} (one selector
     * thread for every socket).
     */
    Fleet(boolean useNio) {
        this(useNio, false);
    }

    /** As {@link #Fleet(boolean)}; with {@code v11} every session speaks v1.1 and resumes when dropped. */
    Fleet(boolean useNio, boolean v11) {
        this(useNio, v11, 0);
    }

    /**
     * A fleet on {@link NioWebSockets} whose sockets ask for a {@code receiveBufferBytes} kernel
     * receive buffer: the slow consumers of relay mode, which stop reading once joined.
     */
    static Fleet slowConsumers(int receiveBufferBytes) {
        return new Fleet(true, false, receiveBufferBytes);
    }

    private Fleet(boolean useNio, boolean v11, int receiveBufferBytes) {
        this.v11 = v11;
        if (useNio) {
            try {
                nio = new NioWebSockets(receiveBufferBytes);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot open a selector", e);
            }
            client = null;
            executor = null;
            return;
        }
        nio = null;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            var t = new Thread(r, "load-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        client = HttpClient.newBuilder().executor(executor).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Opens up to {@code n} sockets with at most {@code concurrency} handshakes in flight, giving
     * up at {@code deadlineNanos}. Failures are counted, not thrown.
     */
    void open(URI uri, int n, int concurrency, long deadlineNanos, IntFunction<WsSession.Handler> handlers)
            throws InterruptedException {
        open(i -> uri, n, concurrency, deadlineNanos, handlers);
    }

    /** As {@link #open(URI, int, int, long, IntFunction)}, socket {@code i} to {@code uris.apply(i)}. */
    void open(IntFunction<URI> uris, int n, int concurrency, long deadlineNanos, IntFunction<WsSession.Handler> handlers)
            throws InterruptedException {
        var permits = new Semaphore(concurrency);
        var attempts = new ArrayList<CompletableFuture<?>>(n);
        for (int i = 0; i < n; i++) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                connectFailures.addAndGet(n - i);
                firstFailure.compareAndSet(null, "connect phase timed out after " + i + " handshakes started");
                break;
            }
            URI uri = uris.apply(i);
            var session = new WsSession(i, handlers.apply(i), errors, v11Of(uri));
            opening.incrementAndGet();
            if (nio != null) {
                attempts.add(nio.connect(uri, session).whenComplete((v, ex) -> {
                    permits.release();
                    opening.decrementAndGet();
                    if (ex != null) {
                        connectFailures.incrementAndGet();
                        firstFailure.compareAndSet(null, String.valueOf(ex));
                    } else {
                        accept(session);
                    }
                }));
                continue;
            }
            attempts.add(builder()
                    .buildAsync(uri, session)
                    .whenComplete((ws, ex) -> {
                        permits.release();
                        opening.decrementAndGet();
                        if (ex != null) {
                            connectFailures.incrementAndGet();
                            firstFailure.compareAndSet(null, String.valueOf(ex.getCause() != null ? ex.getCause() : ex));
                        } else {
                            synchronized (sessions) {
                                if (accepting) {
                                    sessions.add(session);
                                } else {
                                    // Too late: the run has moved on and must not see it appear.
                                    ws.abort();
                                    connectFailures.incrementAndGet();
                                }
                            }
                        }
                    }));
        }
        await(CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).exceptionally(x -> null),
                deadlineNanos);
        synchronized (sessions) {
            accepting = false;
            sessions.sort((a, b) -> Integer.compare(a.index, b.index));
        }
    }

    private java.net.http.WebSocket.Builder builder() {
        var b = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        return v11 ? b.subprotocols(WsSession.V11.SUBPROTOCOL) : b;
    }

    /**
     * (v1.1) The nodes of one cluster a resume may go to when a session's own node cannot be
     * reached (after a drain): a session tries its own first, then these in turn.
     */
    synchronized void resumeTargets(List<URI> targets) {
        this.resumeTargets = List.copyOf(targets);
    }

    private List<URI> resumeTargets = List.of();

    private synchronized WsSession.V11 v11Of(URI uri) {
        if (!v11) {
            return null;
        }
        if (resumeTimer == null) {
            resumeTimer = WsSession.V11.newTimer();
        }
        WsSession.Connector connector = nio != null
                ? (u, s) -> nio.connect(u, s)
                : (u, s) -> builder().buildAsync(u, s).thenAccept(ws -> { });
        List<URI> others = resumeTargets.stream().filter(u -> !u.equals(uri)).toList();
        return new WsSession.V11(uri, connector, resumeStats, resumeTimer, others);
    }

    private void accept(WsSession session) {
        synchronized (sessions) {
            if (accepting) {
                sessions.add(session);
            } else {
                // Too late: the run has moved on and must not see it appear.
                session.abort();
                connectFailures.incrementAndGet();
            }
        }
    }

    /**
     * Waits for every session's welcome, then joins them to rooms of {@code roomSize} in order
     * and waits for every {@code joined}. Returns the sessions that joined, in room order.
     */
    List<WsSession> join(int roomSize, long deadlineNanos) {
        return join(roomSize, deadlineNanos, roomPrefix);
    }

    /** As {@link #join(int, long)}, into rooms {@code prefix-0}, {@code prefix-1}, ... (shared with another process). */
    List<WsSession> join(int roomSize, long deadlineNanos, String prefix) {
        return join(i -> prefix + "-" + (i / roomSize), deadlineNanos);
    }

    /** As {@link #join(int, long)}, the {@code i}-th welcomed session into room {@code rooms.apply(i)}. */
    List<WsSession> join(IntFunction<String> rooms, long deadlineNanos) {
        var welcomed = welcomed(deadlineNanos);
        for (int i = 0; i < welcomed.size(); i++) {
            String room = rooms.apply(i);
            welcomed.get(i).send("{\"type\":\"join\",\"id\":\"" + WsSession.JOIN_ID + "\",\"room\":"
                    + MiniJson.quote(room) + "}");
        }
        var joined = new ArrayList<WsSession>();
        for (WsSession s : welcomed) {
            if (await(s.joined, deadlineNanos)) {
                joined.add(s);
                joinedCount.incrementAndGet();
            } else {
                joinFailures++;
                String why = s.joined.isCompletedExceptionally()
                        ? s.joined.handle((r, ex) -> String.valueOf(ex.getMessage())).join() : "no joined reply";
                firstFailure.compareAndSet(null, why);
            }
        }
        return joined;
    }

    /** Waits for every session's welcome; returns those welcomed with a peer id, counts the rest as join failures. */
    List<WsSession> welcomed(long deadlineNanos) {
        var welcomed = new ArrayList<WsSession>();
        for (WsSession s : sessions) {
            if (await(s.welcome, deadlineNanos) && s.peerId() != null) {
                welcomed.add(s);
            } else {
                joinFailures++;
                firstFailure.compareAndSet(null, "no welcome with a peerId from the server");
            }
        }
        return welcomed;
    }

    int openCount() {
        int open = 0;
        for (WsSession s : sessions) {
            if (s.isOpen()) {
                open++;
            }
        }
        return open;
    }

    static boolean await(CompletableFuture<?> f, long deadlineNanos) {
        try {
            f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Closes every socket normally, waits briefly for the server's close, then aborts the rest. */
    @Override
    public void close() {
        var closing = new ArrayList<CompletableFuture<Void>>(sessions.size());
        for (WsSession s : sessions) {
            s.close();
            closing.add(s.closedFuture);
        }
        await(CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        for (WsSession s : sessions) {
            s.abort();
        }
        if (resumeTimer != null) {
            resumeTimer.shutdownNow();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        if (nio != null) {
            nio.close();
        }
    }
}
