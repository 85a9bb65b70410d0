package io.signaling.adapter.undertow;

import io.signaling.ports.http.HttpServer;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.protocol.http.HttpOpenListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The {@link HttpServer} port on one Undertow HTTP listener.
 *
 * <p>The listener is assembled from Undertow's parts (XNIO worker, accepting channel,
 * {@link HttpOpenListener}) rather than with the {@code Undertow} class, for two reasons that
 * make the graceful stop work: {@code Undertow.ListenerInfo#suspend()} stops accepting but also
 * closes every open connection at once, in-flight requests included; and {@code Undertow#stop()}
 * waits for worker threads without a limit. Here the stop closes the accepting socket only (new
 * connections are refused by the OS), answers new requests on open connections with 503, waits
 * for in-flight requests up to the deadline, and only then closes connections and the worker,
 * interrupting handlers that are still running.
 *
 * <p>Start and stop from one thread; {@link #address()} and {@link #activeRequests()} from any.
 */
final class UndertowHttpServer implements HttpServer {

    /** Validated settings of one listener. */
    record Settings(String name, String host, int port, long maxRequestBodyBytes, int ioThreads, int workerThreads) {
        Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(host, "host");
        }
    }

    // Undertow's own defaults for a server with more than 128 MiB of heap.
    private static final int BUFFER_SIZE = 16 * 1024 - 20;
    /**
     * From a request's first byte to its complete head. Undertow has no default here when the
     * listener is assembled by hand, so a client trickling header bytes (slowloris) held its
     * connection for as long as it liked (docs/reliability.md, fault 5). Ten seconds is far above
     * what any real client on any real network needs to send a request head.
     */
    static final int REQUEST_PARSE_TIMEOUT_MS = 10_000;
    /** An idle keep-alive connection (no request in progress) is closed after this. */
    static final int NO_REQUEST_TIMEOUT_MS = 60_000;
    // Bounded wait for worker threads once they have been interrupted after the deadline.
    private static final long INTERRUPT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Settings settings;
    private final UndertowRouter router;
    private final Map<String, io.undertow.server.HttpHandler> mounts;

    private volatile HttpDrainHandler drain;
    private volatile InetSocketAddress address;
    private XnioWorker worker;
    private AcceptingChannel<StreamConnection> acceptor;
    private HttpOpenListener openListener;
    private DefaultByteBufferPool buffers;
    private boolean started;

    UndertowHttpServer(Settings settings, UndertowRouter router, Map<String, io.undertow.server.HttpHandler> mounts) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.router = Objects.requireNonNull(router, "router");
        this.mounts = new LinkedHashMap<>(Objects.requireNonNull(mounts, "mounts"));
    }

    @Override
    public String name() {
        return "http-" + settings.name();
    }

    @Override
    public void start() throws Exception {
        if (started) {
            throw new IllegalStateException(name() + " was already started; a server starts once");
        }
        started = true;
        HttpDrainHandler drainHandler = new HttpDrainHandler(
                UndertowHttp.handler(router, mounts, settings.maxRequestBodyBytes()));

        XnioWorker xnioWorker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, name())
                .set(Options.WORKER_IO_THREADS, settings.ioThreads())
                .set(Options.WORKER_TASK_CORE_THREADS, settings.workerThreads())
                .set(Options.WORKER_TASK_MAX_THREADS, settings.workerThreads())
                .set(Options.TCP_NODELAY, true)
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .getMap());
        DefaultByteBufferPool pool = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
        HttpOpenListener listener = new HttpOpenListener(pool, OptionMap.builder()
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, REQUEST_PARSE_TIMEOUT_MS)
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, NO_REQUEST_TIMEOUT_MS)
                .getMap());
        listener.setRootHandler(drainHandler);
        try {
            InetSocketAddress bindTo = new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port());
            AcceptingChannel<StreamConnection> channel = xnioWorker.createStreamConnectionServer(bindTo,
                    ChannelListeners.openListenerAdapter(listener), OptionMap.builder()
                            .set(Options.REUSE_ADDRESSES, true)
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.BACKLOG, 1000)
                            .set(Options.BALANCING_TOKENS, 1)
                            .set(Options.BALANCING_CONNECTIONS, 2)
                            .getMap());
            channel.resumeAccepts();
            this.acceptor = channel;
        } catch (IOException | RuntimeException e) {
            xnioWorker.shutdownNow();
            pool.close();
            throw startFailure(e);
        }
        this.worker = xnioWorker;
        this.openListener = listener;
        this.buffers = pool;
        this.drain = drainHandler;
        this.address = acceptor.getLocalAddress(InetSocketAddress.class);
    }

    private Exception startFailure(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String where = settings.host() + ":" + settings.port();
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String message = "HTTP listener '" + settings.name() + "' cannot listen on " + where + ": " + reason;
        message = message.replace('\n', ' ').replace('\r', ' ');
        IOException failure = cause instanceof BindException ? new BindException(message)
                : cause instanceof UnknownHostException ? new UnknownHostException(message) : new IOException(message);
        failure.initCause(e);
        return failure;
    }

    @Override
    public void stopAccepting() {
        HttpDrainHandler d = drain;
        if (worker == null || d == null) {
            return;
        }
        // Refuse first, then close the socket: once a connect is refused, a request on an open
        // connection is certain to get the 503.
        d.shutdown();
        IoUtils.safeClose(acceptor);
    }

    @Override
    public boolean stop(Duration deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        long deadlineNanos = System.nanoTime() + Math.max(0, deadline.toNanos());
        XnioWorker xnioWorker = worker;
        if (xnioWorker == null) {
            return true;
        }
        stopAccepting();
        worker = null;
        boolean drained = drain.awaitIdle(deadlineNanos);
        openListener.closeConnections();
        xnioWorker.shutdown();
        boolean terminated = xnioWorker.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!terminated) {
            // Past the deadline: interrupt stuck handlers so that nothing outlives the server.
            xnioWorker.shutdownNow();
            xnioWorker.awaitTermination(INTERRUPT_GRACE_NANOS, TimeUnit.NANOSECONDS);
        }
        buffers.close();
        return drained && terminated;
    }

    @Override
    public InetSocketAddress address() {
        InetSocketAddress bound = address;
        if (bound == null) {
            throw new IllegalStateException(name() + " has no address before start()");
        }
        return bound;
    }

    @Override
    public long activeRequests() {
        HttpDrainHandler d = drain;
        return d == null ? 0 : d.activeRequests();
    }

    @Override
    public String toString() {
        return "UndertowHttpServer[" + settings.name() + " " + settings.host() + ":" + settings.port()
                + (address != null ? " bound " + address : "") + "]";
    }
}
