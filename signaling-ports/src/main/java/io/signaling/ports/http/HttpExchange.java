package io.signaling.ports.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request and its response, as handlers and middleware see it on any router adapter.
 *
 * <p>Direction: inbound, created by the router adapter for each request and passed down the
 * middleware chain to the route's handler. Thread-safety: confined to the thread that runs the
 * handler chain; not safe for concurrent use. Header names are case-insensitive.
 *
 * <p>A handler sets the status and headers, then sends the body once with {@link #send(byte[])}.
 * A handler that returns without sending ends the exchange with the status set (and no body).
 */
public interface HttpExchange {

    /** The request method in upper case: {@code GET}, {@code HEAD}, {@code POST}... */
    String method();

    /** The decoded request path, without the query string. */
    String path();

    /**
     * The path template the request matched ({@code /rooms/{id}}), or a fallback name for requests
     * that matched no route: {@link Routes#NOT_FOUND} or {@link Routes#METHOD_NOT_ALLOWED}.
     */
    String route();

    /** The values of the template's variables, by name; empty when the template has none. */
    Map<String, String> pathParameters();

    /** The query string parameters, each with all its values in order. */
    Map<String, List<String>> queryParameters();

    default Optional<String> queryParameter(String name) {
        List<String> values = queryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a request header. */
    Optional<String> requestHeader(String name);

    /** Every request header with its values; names as the client sent them. */
    Map<String, List<String>> requestHeaders();

    /** The client's address as seen by the socket (no proxy header is trusted here). */
    InetSocketAddress remoteAddress();

    /** The address of the listener that took the request. */
    InetSocketAddress localAddress();

    /** The request scheme, {@code http} or {@code https}. */
    String scheme();

    /**
     * The request body, read fully. Blocks the calling thread; the adapter runs handlers on worker
     * threads so that this is allowed.
     *
     * @throws PayloadTooLargeException when the body exceeds the adapter's configured limit
     */
    byte[] requestBody() throws IOException;

    /** The response status set so far (200 until a handler sets another). */
    int status();

    HttpExchange status(int status);

    /** Sets a response header, replacing earlier values of the same name. */
    HttpExchange responseHeader(String name, String value);

    Optional<String> responseHeader(String name);

    /** Sends the response body and ends the response; the status and headers are final from here. */
    void send(byte[] body) throws IOException;

    default void send(String contentType, String body) throws IOException {
        responseHeader("Content-Type", contentType);
        send(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the status line and headers have gone to the client already. */
    boolean isResponseStarted();

    /** Bytes of response body sent so far. */
    long responseBytes();

    /** Per-exchange values shared by middleware and handlers (request id, current span...). */
    <T> Optional<T> attribute(AttributeKey<T> key);

    <T> HttpExchange attribute(AttributeKey<T> key, T value);
}
