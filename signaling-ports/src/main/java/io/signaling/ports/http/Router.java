package io.signaling.ports.http;

/**
 * Maps a method and a path template to a handler and runs middleware around each dispatch.
 *
 * <p>Direction: outbound (the application registers routes; the adapter receives requests from
 * its server and dispatches them). Templates use {@code {name}} segments, as in
 * {@code /rooms/{id}}. A path no route matches gets 404; a path matched for other methods gets
 * 405 with an {@code Allow} header; both in the problem+json shape and both through the
 * middleware. {@code HEAD} is served by the {@code GET} route of the same template, without body.
 *
 * <p>Thread-safety: configure from one thread before the server starts; registering after the
 * router has started serving throws {@link IllegalStateException}. Dispatch is thread-safe.
 */
public interface Router {

    Router route(String method, String pathTemplate, HttpHandler handler);

    /** Adds middleware; the first added runs outermost. */
    Router use(Middleware middleware);

    default Router get(String pathTemplate, HttpHandler handler) {
        return route("GET", pathTemplate, handler);
    }

    default Router post(String pathTemplate, HttpHandler handler) {
        return route("POST", pathTemplate, handler);
    }
}
