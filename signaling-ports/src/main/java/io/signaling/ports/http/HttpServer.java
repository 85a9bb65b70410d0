package io.signaling.ports.http;

import io.signaling.ports.lifecycle.Lifecycle;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One listening HTTP server (the public or the admin listener).
 *
 * <p>Direction: outbound, implemented by the server adapter, driven by the application's
 * lifecycle. Thread-safety: start and stop from one thread; {@link #address()} and
 * {@link #activeRequests()} from any thread.
 *
 * <p>{@link #stop(Duration)} is graceful: the listener stops accepting, new requests on open
 * connections get 503, in-flight requests finish up to the deadline, then everything closes.
 */
public interface HttpServer extends Lifecycle {

    /** The bound address; with port 0 configured, the port the OS chose. Valid after start. */
    InetSocketAddress address();

    /** Requests currently being handled. */
    long activeRequests();

    @Override
    void start() throws Exception;

    /**
     * The first step of the graceful stop, on its own: closes the listening socket and answers new
     * requests on open connections with 503, while in-flight requests and upgraded connections
     * (WebSockets) carry on. Lets the application drain its sockets before {@link #stop} closes
     * every connection. Idempotent; {@link #stop} does it too.
     */
    void stopAccepting();

    @Override
    boolean stop(Duration deadline) throws InterruptedException;
}
