package io.signaling.adapter.undertow;

import io.signaling.ports.http.AttributeKey;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.PayloadTooLargeException;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link HttpExchange} port over Undertow's {@link HttpServerExchange}.
 *
 * <p>Confined to the thread running the handler chain, as the port says. In front of a mount the
 * instance is also attached to the Undertow exchange ({@link #ATTACHMENT}) so that the mounted
 * Undertow handler can read what the middleware put in the attributes (request id, server span);
 * a routed request, whose handlers see this exchange itself, is spared the attachment map.
 */
final class UndertowHttpExchange implements HttpExchange {

    /** Where a mounted raw handler finds the port exchange (and so its attributes). */
    static final AttachmentKey<UndertowHttpExchange> ATTACHMENT = AttachmentKey.create(UndertowHttpExchange.class);

    private static final int READ_CHUNK = 8192;
    // More than one Undertow read buffer (16 KiB): the read loop below always sees the limit
    // crossed before Undertow's cap trips, and Undertow's cap still bounds the drain afterwards.
    private static final long DRAIN_SLACK = 64 * 1024;

    private final HttpServerExchange exchange;
    private final String route;
    private final Map<String, String> pathParameters;
    private final long maxRequestBodyBytes;
    private final HeaderNames headerNames;
    // A request carries a handful of attributes under identity-compared keys: a linear scan of one
    // small array (key, value, key, value...) beats a HashMap (allocation, hashing, entry objects)
    // on the per-request path.
    private Object[] attributes = new Object[8];
    private int attributeCount;

    private Map<String, List<String>> queryParameters;
    private Map<String, List<String>> requestHeaders;
    private byte[] requestBody;
    private boolean requestBodyTooLarge;
    private boolean sent;
    private long responseBytes;

    UndertowHttpExchange(HttpServerExchange exchange, String route, Map<String, String> pathParameters,
                         long maxRequestBodyBytes, HeaderNames headerNames) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.headerNames = Objects.requireNonNull(headerNames, "headerNames");
        this.route = Objects.requireNonNull(route, "route");
        this.pathParameters = Map.copyOf(Objects.requireNonNull(pathParameters, "pathParameters"));
        if (maxRequestBodyBytes < 0) {
            throw new IllegalArgumentException("maxRequestBodyBytes must be >= 0, was " + maxRequestBodyBytes);
        }
        this.maxRequestBodyBytes = maxRequestBodyBytes;
    }

    /** Makes this exchange findable from the Undertow exchange ({@link #of}), for a mounted handler. */
    UndertowHttpExchange attach() {
        exchange.putAttachment(ATTACHMENT, this);
        return this;
    }

    /** The port exchange the router created for this Undertow exchange, if any. */
    static Optional<UndertowHttpExchange> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(ATTACHMENT));
    }

    /** The underlying Undertow exchange, for mounted handlers that take over the request. */
    HttpServerExchange undertowExchange() {
        return exchange;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String path() {
        return exchange.getRequestPath();
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        if (queryParameters == null) {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Deque<String>> e : exchange.getQueryParameters().entrySet()) {
                copy.put(e.getKey(), List.copyOf(e.getValue()));
            }
            queryParameters = Collections.unmodifiableMap(copy);
        }
        return queryParameters;
    }

    @Override
    public Optional<String> requestHeader(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        if (requestHeaders == null) {
            Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (HeaderValues values : exchange.getRequestHeaders()) {
                copy.computeIfAbsent(values.getHeaderName().toString(), k -> new ArrayList<>()).addAll(values);
            }
            copy.replaceAll((k, v) -> List.copyOf(v));
            requestHeaders = Collections.unmodifiableMap(copy);
        }
        return requestHeaders;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return exchange.getSourceAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return exchange.getDestinationAddress();
    }

    @Override
    public String scheme() {
        return exchange.getRequestScheme();
    }

    @Override
    public byte[] requestBody() throws IOException {
        if (requestBodyTooLarge) {
            throw new PayloadTooLargeException(maxRequestBodyBytes);
        }
        if (requestBody == null) {
            requestBody = readBody();
        }
        return requestBody.clone();
    }

    private byte[] readBody() throws IOException {
        if (!exchange.isBlocking()) {
            throw new IllegalStateException("the request body can only be read by a handler running on a worker thread");
        }
        long declared = exchange.getRequestContentLength();
        if (declared > maxRequestBodyBytes) {
            // Reading would only waste bandwidth: answer now and close rather than drain the body.
            throw tooLarge(null);
        }
        if (exchange.isRequestChannelAvailable()) {
            exchange.setMaxEntitySize(maxRequestBodyBytes + DRAIN_SLACK);
        }
        InputStream in = exchange.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared >= 0 ? (int) declared : 1024);
        byte[] chunk = new byte[READ_CHUNK];
        long total = 0;
        try {
            int n;
            while ((n = in.read(chunk)) != -1) {
                total += n;
                if (total > maxRequestBodyBytes) {
                    throw tooLarge(null);
                }
                out.write(chunk, 0, n);
            }
        } catch (RequestTooBigException e) {
            // Not expected given the slack, but if Undertow's cap trips, the answer is the same.
            throw tooLarge(e);
        }
        return out.toByteArray();
    }

    /**
     * Ends the exchange after the handler chain on a worker thread, with the status set when no
     * body was sent. Undertow then drains an unread request body to reuse the connection; the
     * cap keeps that drain within the body limit (past it Undertow closes the connection, after
     * the response has gone out), so no client keeps a worker reading an endless body.
     */
    void finish() {
        if (!exchange.isRequestComplete() && exchange.isRequestChannelAvailable()) {
            exchange.setMaxEntitySize(maxRequestBodyBytes);
        }
        exchange.endExchange();
    }

    private PayloadTooLargeException tooLarge(Throwable cause) {
        requestBodyTooLarge = true;
        exchange.setPersistent(false);
        PayloadTooLargeException e = new PayloadTooLargeException(maxRequestBodyBytes);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    @Override
    public int status() {
        return exchange.getStatusCode();
    }

    @Override
    public HttpExchange status(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be within 100..599, was " + status);
        }
        requireNotStarted("status");
        exchange.setStatusCode(status);
        return this;
    }

    @Override
    public HttpExchange responseHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        HttpString header = headerNames.of(name);
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("HTTP header value of '" + name + "' must not contain CR or LF");
        }
        requireNotStarted("header " + name);
        exchange.getResponseHeaders().put(header, value);
        return this;
    }

    @Override
    public Optional<String> responseHeader(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(exchange.getResponseHeaders().getFirst(name));
    }

    @Override
    public void send(byte[] body) throws IOException {
        Objects.requireNonNull(body, "body");
        if (sent) {
            throw new IllegalStateException("the response of " + method() + " " + path() + " was already sent");
        }
        requireNotStarted("body");
        sent = true;
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        boolean head = "HEAD".equals(method());
        if (exchange.isBlocking()) {
            // The blocking stream surfaces a client that went away as an IOException to the handler.
            try (OutputStream out = exchange.getOutputStream()) {
                out.write(body);
            }
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
        // Undertow drops the body of a HEAD response; count what went on the wire.
        responseBytes = head ? 0 : body.length;
    }

    @Override
    public boolean isResponseStarted() {
        return sent || exchange.isResponseStarted();
    }

    @Override
    public long responseBytes() {
        return responseBytes;
    }

    @Override
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        Objects.requireNonNull(key, "key");
        int at = indexOf(key);
        return at < 0 ? Optional.empty() : Optional.of(key.cast(attributes[at + 1]));
    }

    @Override
    public <T> HttpExchange attribute(AttributeKey<T> key, T value) {
        Objects.requireNonNull(key, "key");
        int at = indexOf(key);
        if (value == null) {
            if (at >= 0) {
                int last = 2 * (attributeCount - 1);
                attributes[at] = attributes[last];
                attributes[at + 1] = attributes[last + 1];
                attributes[last] = null;
                attributes[last + 1] = null;
                attributeCount--;
            }
        } else if (at >= 0) {
            attributes[at + 1] = key.cast(value);
        } else {
            int free = 2 * attributeCount;
            if (free == attributes.length) {
                attributes = Arrays.copyOf(attributes, attributes.length * 2);
            }
            attributes[free] = key;
            attributes[free + 1] = key.cast(value);
            attributeCount++;
        }
        return this;
    }

    /** Where {@code key} sits in {@link #attributes}, or -1. */
    private int indexOf(AttributeKey<?> key) {
        for (int i = 0; i < 2 * attributeCount; i += 2) {
            if (attributes[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a handler sent the body through this exchange. */
    boolean sent() {
        return sent;
    }

    private void requireNotStarted(String what) {
        if (isResponseStarted()) {
            throw new IllegalStateException("cannot set the " + what + " of " + method() + " " + path()
                    + ": the response has already started");
        }
    }


    @Override
    public String toString() {
        return "UndertowHttpExchange[" + method() + " " + path() + " route=" + route + "]";
    }
}
