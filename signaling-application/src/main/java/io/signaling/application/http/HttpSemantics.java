package io.signaling.application.http;

import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.PayloadTooLargeException;

import java.util.Set;

/** Small shared rules of the middleware: the status an exception will become, tag-safe names. */
final class HttpSemantics {

    /** The methods of RFC 9110 and PATCH; anything else is reported as {@value #OTHER_METHOD}. */
    static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /** OpenTelemetry's name for a method outside the known set (keeps span names and tags bounded). */
    static final String OTHER_METHOD = "_OTHER";

    private HttpSemantics() {
    }

    /**
     * The status the client will see for a request that threw {@code error}: what was sent when
     * the response had started, else what recovery will answer.
     */
    static int statusFor(HttpExchange exchange, Throwable error) {
        if (error == null || exchange.isResponseStarted()) {
            return exchange.status();
        }
        return isPayloadTooLarge(error) ? 413 : 500;
    }

    static boolean isPayloadTooLarge(Throwable error) {
        // Adapters and handlers may wrap it (an UncheckedIOException); one level is enough.
        return error instanceof PayloadTooLargeException
                || error != null && error.getCause() instanceof PayloadTooLargeException;
    }

    /** The simple class name, or the full one for anonymous and local classes that have none. */
    static String exceptionName(Throwable error) {
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple;
    }

    static String method(String method) {
        return KNOWN_METHODS.contains(method) ? method : OTHER_METHOD;
    }
}
