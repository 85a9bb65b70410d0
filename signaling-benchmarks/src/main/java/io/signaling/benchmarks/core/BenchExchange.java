package io.signaling.benchmarks.core;

import io.signaling.ports.http.AttributeKey;
import io.signaling.ports.http.HttpExchange;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A reusable in-memory exchange, so the middleware benchmark measures the middleware and not a
 * socket. Reset before each invocation; nothing here allocates on the hot path except what the
 * middleware itself asks for.
 */
final class BenchExchange implements HttpExchange {

    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    private final String method;
    private final String path;
    private final String route;
    private final Map<String, List<String>> requestHeaders;
    private final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<AttributeKey<?>, Object> attributes = new HashMap<>();
    private int status;
    private long bytes;
    private boolean started;

    BenchExchange(String method, String path, String route, Map<String, List<String>> requestHeaders) {
        this.method = method;
        this.path = path;
        this.route = route;
        TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(requestHeaders);
        this.requestHeaders = headers;
    }

    BenchExchange reset() {
        responseHeaders.clear();
        attributes.clear();
        status = 200;
        bytes = 0;
        started = false;
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
        return Map.of();
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return Map.of();
    }

    @Override
    public Optional<String> requestHeader(String name) {
        List<String> values = requestHeaders.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        return requestHeaders;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return REMOTE;
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public byte[] requestBody() {
        return new byte[0];
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public HttpExchange status(int status) {
        this.status = status;
        return this;
    }

    @Override
    public HttpExchange responseHeader(String name, String value) {
        responseHeaders.put(name, value);
        return this;
    }

    @Override
    public Optional<String> responseHeader(String name) {
        return Optional.ofNullable(responseHeaders.get(name));
    }

    @Override
    public void send(byte[] body) {
        started = true;
        bytes += body.length;
    }

    @Override
    public boolean isResponseStarted() {
        return started;
    }

    @Override
    public long responseBytes() {
        return bytes;
    }

    @Override
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        Object value = attributes.get(key);
        return value == null ? Optional.empty() : Optional.of(key.cast(value));
    }

    @Override
    public <T> HttpExchange attribute(AttributeKey<T> key, T value) {
        attributes.put(key, value);
        return this;
    }
}
