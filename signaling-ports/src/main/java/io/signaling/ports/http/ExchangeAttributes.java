package io.signaling.ports.http;

import io.signaling.ports.trace.Span;

/** Exchange attributes that middleware sets and that handlers and adapters may read. */
public final class ExchangeAttributes {

    /** The request id, set by the request-id middleware (outermost). */
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.of("request-id", String.class);

    /** The server span of the request, set by the tracing middleware. */
    public static final AttributeKey<Span> SERVER_SPAN = AttributeKey.of("server-span", Span.class);

    /** The class name of an exception a handler threw, set by recovery for the metrics tag. */
    public static final AttributeKey<String> EXCEPTION = AttributeKey.of("exception", String.class);

    private ExchangeAttributes() {
    }
}
