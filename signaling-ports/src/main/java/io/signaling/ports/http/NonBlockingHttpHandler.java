package io.signaling.ports.http;

/**
 * A handler that never blocks: no I/O of its own, no request body, no waiting on locks or other
 * threads. A router adapter may run it, and the middleware around it, on the server's I/O thread
 * instead of handing the request to a worker thread, which saves a thread hand-off per request
 * (liveness probes, in-memory pages). When in doubt, use a plain {@link HttpHandler}: blocking on
 * an I/O thread stalls every connection that thread serves.
 *
 * <p>Direction and thread-safety as {@link HttpHandler}; middleware wrapped around it must not
 * block either (the standard middleware does not: logging is asynchronous).
 */
@FunctionalInterface
public interface NonBlockingHttpHandler extends HttpHandler {

    /** Marks {@code handler} as non-blocking. */
    static NonBlockingHttpHandler of(HttpHandler handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        return handler::handle;
    }
}
