package io.signaling.ports.http;

/** Route names the router gives to requests that matched no template, for metrics and spans. */
public final class Routes {

    /** The route of a request whose path matched no template (metrics tag it {@code NOT_FOUND}). */
    public static final String NOT_FOUND = "NOT_FOUND";

    /** The route of a request whose path matched a template for other methods only. */
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";

    private Routes() {
    }
}
