package io.signaling.ports.testing;

import io.signaling.ports.http.AttributeKey;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.PayloadTooLargeException;
import io.signaling.ports.http.Routes;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory {@link HttpExchange} for testing handlers and middleware without a server.
 * Configure the request with the fluent setters, run the handler, then assert on
 * {@link #status()}, {@link #responseHeader(String)} and {@link #responseBodyAsString()}.
 *
 * <p>Like a real exchange, it is strict: a second {@link #send}, or changing the status or a
 * header after the response started, throws {@link IllegalStateException}, so code that breaks
 * the exchange's rules fails its tests. Not thread-safe, like the port.
 */
public final class FakeHttpExchange implements HttpExchange {

    private final String method;
    private final String path;
    private String route;
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private final Map<String, List<String>> queryParameters = new LinkedHashMap<>();
    private final Map<String, List<String>> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private InetSocketAddress remoteAddress = new InetSocketAddress("127.0.0.1", 54321);
    private InetSocketAddress localAddress = new InetSocketAddress("127.0.0.1", 8080);
    private String scheme = "http";
    private byte[] requestBody = new byte[0];
    private long bodyLimit = Long.MAX_VALUE;

    private int status = 200;
    private final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] responseBody;
    private final Map<AttributeKey<?>, Object> attributes = new IdentityHashMap<>();

    /** A request whose route is its path (as a router would set for a literal template). */
    public FakeHttpExchange(String method, String path) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.route = path;
    }

    public static FakeHttpExchange get(String path) {
        return new FakeHttpExchange("GET", path);
    }

    public static FakeHttpExchange post(String path, String body) {
        return new FakeHttpExchange("POST", path).body(body);
    }

    public FakeHttpExchange route(String route) {
        this.route = route;
        return this;
    }

    /** Marks the request as matching no route, as the router would. */
    public FakeHttpExchange notFound() {
        return route(Routes.NOT_FOUND);
    }

    public FakeHttpExchange pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public FakeHttpExchange queryParameter(String name, String value) {
        queryParameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    /** Adds a request header value (names are case-insensitive). */
    public FakeHttpExchange header(String name, String value) {
        requestHeaders.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    public FakeHttpExchange remoteAddress(InetSocketAddress address) {
        this.remoteAddress = address;
        return this;
    }

    public FakeHttpExchange localAddress(InetSocketAddress address) {
        this.localAddress = address;
        return this;
    }

    public FakeHttpExchange scheme(String scheme) {
        this.scheme = scheme;
        return this;
    }

    public FakeHttpExchange body(String body) {
        this.requestBody = body.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public FakeHttpExchange body(byte[] body) {
        this.requestBody = body.clone();
        return this;
    }

    /** Makes {@link #requestBody()} throw {@link PayloadTooLargeException} past this many bytes. */
    public FakeHttpExchange bodyLimit(long limit) {
        this.bodyLimit = limit;
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public Map<String, String> pathParameters() {
        return Collections.unmodifiableMap(pathParameters);
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return Collections.unmodifiableMap(queryParameters);
    }

    @Override
    public Optional<String> requestHeader(String name) {
        List<String> values = requestHeaders.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        return Collections.unmodifiableMap(requestHeaders);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public byte[] requestBody() throws PayloadTooLargeException {
        if (requestBody.length > bodyLimit) {
            throw new PayloadTooLargeException(bodyLimit);
        }
        return requestBody.clone();
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public HttpExchange status(int status) {
        requireNotStarted("status");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
        return this;
    }

    @Override
    public HttpExchange responseHeader(String name, String value) {
        requireNotStarted("header " + name);
        responseHeaders.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    @Override
    public Optional<String> responseHeader(String name) {
        return Optional.ofNullable(responseHeaders.get(name));
    }

    /** Every response header set, by name (case-insensitive). */
    public Map<String, String> responseHeaders() {
        return Collections.unmodifiableMap(responseHeaders);
    }

    @Override
    public void send(byte[] body) {
        requireNotStarted("body");
        this.responseBody = Objects.requireNonNull(body, "body").clone();
    }

    @Override
    public boolean isResponseStarted() {
        return responseBody != null;
    }

    @Override
    public long responseBytes() {
        return responseBody == null ? 0 : responseBody.length;
    }

    /** The body sent, or {@code null} when nothing was sent. */
    public byte[] responseBody() {
        return responseBody == null ? null : responseBody.clone();
    }

    public String responseBodyAsString() {
        return responseBody == null ? null : new String(responseBody, StandardCharsets.UTF_8);
    }

    @Override
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        return Optional.ofNullable(key.cast(attributes.get(key)));
    }

    @Override
    public <T> HttpExchange attribute(AttributeKey<T> key, T value) {
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
        return this;
    }

    private void requireNotStarted(String what) {
        if (responseBody != null) {
            throw new IllegalStateException("response already sent; cannot set " + what);
        }
    }

    @Override
    public String toString() {
        return "FakeHttpExchange[" + method + " " + path + " -> " + status + "]";
    }
}
