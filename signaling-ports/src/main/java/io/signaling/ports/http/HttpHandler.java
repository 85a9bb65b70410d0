package io.signaling.ports.http;

/**
 * Handles one exchange. Direction: inbound, implemented by the application's routes, called by
 * the router adapter on a worker thread where blocking is allowed. Thread-safety: one instance
 * serves concurrent requests, so implementations must be safe for concurrent calls.
 */
@FunctionalInterface
public interface HttpHandler {

    /** Handles the exchange; an exception becomes a problem+json 500 in the recovery middleware. */
    void handle(HttpExchange exchange) throws Exception;
}
