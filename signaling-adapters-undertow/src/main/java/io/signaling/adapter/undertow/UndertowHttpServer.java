package io.signaling.adapter.undertow;

import io.signaling.ports.http.HttpServer;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.PathHandler;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The {@link HttpServer} port on one Undertow HTTP listener.
 *
 * <p>The server owns its XNIO worker (rather than letting Undertow create one) so that
 * {@link #stop(Duration)} can bound the wait for worker threads by the caller's deadline and
 * interrupt what is still running after it; Undertow's own stop waits without limit.
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

    // Bounded wait for worker threads once they have been interrupted after the deadline.
    private static final long INTERRUPT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Settings settings;
    private final UndertowRouter router;
    private final Map<String, io.undertow.server.HttpHandler> mounts;

    private volatile HttpDrainHandler drain;
    private volatile InetSocketAddress address;
    private Undertow undertow;
    private XnioWorker worker;
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
        HttpRouteTable table = router.freeze();
        PathHandler paths = Handlers.path(table.routerHandler(settings.maxRequestBodyBytes()));
        mounts.forEach((path, handler) ->
                paths.addPrefixPath(path, table.mountHandler(path, handler, settings.maxRequestBodyBytes())));
        HttpDrainHandler drainHandler = new HttpDrainHandler(paths);

        XnioWorker xnioWorker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, name())
                .set(Options.WORKER_IO_THREADS, settings.ioThreads())
                .set(Options.WORKER_TASK_CORE_THREADS, settings.workerThreads())
                .set(Options.WORKER_TASK_MAX_THREADS, settings.workerThreads())
                .set(Options.TCP_NODELAY, true)
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .getMap());
        Undertow server = Undertow.builder()
                .setWorker(xnioWorker)
                .addHttpListener(settings.port(), settings.host())
                // Undertow's own cap bounds what it drains of a body no handler read.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, settings.maxRequestBodyBytes())
                .setHandler(drainHandler)
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            safeStop(server);
            xnioWorker.shutdownNow();
            throw startFailure(e);
        }
        this.worker = xnioWorker;
        this.undertow = server;
        this.drain = drainHandler;
        this.address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    private Exception startFailure(RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String where = settings.host() + ":" + settings.port();
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String message = "HTTP listener '" + settings.name() + "' cannot listen on " + where + ": " + reason;
        message = message.replace('\n', ' ').replace('\r', ' ');
        IOException failure = cause instanceof BindException ? new BindException(message) : new IOException(message);
        failure.initCause(e);
        return failure;
    }

    @Override
    public boolean stop(Duration deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        long deadlineNanos = System.nanoTime() + Math.max(0, deadline.toNanos());
        Undertow server = undertow;
        XnioWorker xnioWorker = worker;
        if (server == null) {
            return true;
        }
        undertow = null;
        worker = null;
        for (Undertow.ListenerInfo listener : server.getListenerInfo()) {
            listener.suspend();
        }
        drain.shutdown();
        boolean drained = drain.awaitIdle(deadlineNanos);
        safeStop(server);
        xnioWorker.shutdown();
        boolean terminated = xnioWorker.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!terminated) {
            // Past the deadline: interrupt stuck handlers so that nothing outlives the server.
            xnioWorker.shutdownNow();
            xnioWorker.awaitTermination(INTERRUPT_GRACE_NANOS, TimeUnit.NANOSECONDS);
        }
        return drained && terminated;
    }

    private static void safeStop(Undertow server) {
        try {
            server.stop();
        } catch (RuntimeException ignored) {
            // Stopping a half-started server may fail on what never opened; the worker still goes below.
        }
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
