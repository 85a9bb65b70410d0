package io.signaling.app;

import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.NonBlockingHttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/** Serves one classpath resource, read once at start: the demo call page (from memory: non-blocking). */
final class StaticPage implements NonBlockingHttpHandler {

    // The page is self-contained: inline script and style, media from the browser, signaling over
    // the same origin. Nothing else may load, so a stray CDN link would fail loudly in the console.
    private static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "img-src 'self' data:; media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final byte[] body;
    private final String contentType;

    StaticPage(String resource, String contentType) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        try (InputStream in = StaticPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the jar");
            }
            this.body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.responseHeader("Content-Type", contentType)
                .responseHeader("Cache-Control", "no-cache")
                .responseHeader("Content-Security-Policy", CSP)
                .responseHeader("X-Content-Type-Options", "nosniff")
                .responseHeader("Referrer-Policy", "no-referrer");
        exchange.send(body);
    }
}
