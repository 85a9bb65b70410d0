package io.signaling.ports.http;

/**
 * Wraps a handler with behaviour around it: request ids, recovery, tracing, metrics, access logs.
 *
 * <p>Direction: inbound, written against this port so that any router adapter runs it. The router
 * applies middleware in the order added, the first added outermost, to every route including its
 * not-found and method-not-allowed fallbacks. Thread-safety: {@link #wrap} is called while the
 * router is built; the returned handler serves concurrent requests.
 */
@FunctionalInterface
public interface Middleware {

    HttpHandler wrap(HttpHandler next);
}
