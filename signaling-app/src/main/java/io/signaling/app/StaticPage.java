package io.signaling.app;

import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.NonBlockingHttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Serves one classpath resource, read once at start, from memory (non-blocking): the demo call page
 * and the browser client module it imports ({@code /signaling-client.js}).
 *
 * <p>Both are revalidated on every use ({@code Cache-Control: no-cache}) against a strong
 * {@code ETag} of their bytes, so a deploy is picked up at once while an unchanged file costs a 304.
 * The tag is computed on first use rather than at start: hashing there loaded the JCA provider
 * machinery on every start, for a page most nodes (behind a load balancer, serving no browser
 * from this origin) never serve.
 */
final class StaticPage implements NonBlockingHttpHandler {

    // The page loads nothing but itself and the client module from its own origin, media from the
    // browser and signaling over the same origin: a stray CDN link would fail loudly in the console.
    private static final String PAGE_CSP = "default-src 'none'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob: mediastream:; "
            + "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final byte[] body;
    private final String contentType;
    private final boolean page;
    /** Racy single-check: every thread computes the same value, so a repeated computation is harmless. */
    private volatile String etag;

    private StaticPage(String resource, String contentType, boolean page) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.page = page;
        try (InputStream in = StaticPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the jar");
            }
            this.body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** An HTML page, with the page's Content-Security-Policy. */
    static StaticPage page(String resource) {
        return new StaticPage(resource, "text/html; charset=utf-8", true);
    }

    /**
     * An ES module (RFC 9239 type). Any origin may import it ({@code Access-Control-Allow-Origin: *}: a
     * module script is fetched in CORS mode; the file is public and carries no credentials).
     */
    static StaticPage script(String resource) {
        return new StaticPage(resource, "text/javascript; charset=utf-8", false);
    }

    /** The strong ETag of the bytes: the first 128 bits of their SHA-256, base64url. */
    private String etag() {
        String tag = etag;
        if (tag == null) {
            tag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha256(body), 16)) + "\"";
            etag = tag;
        }
        return tag;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String etag = etag();
        exchange.responseHeader("Cache-Control", "no-cache")
                .responseHeader("ETag", etag)
                .responseHeader("X-Content-Type-Options", "nosniff")
                .responseHeader("Referrer-Policy", "no-referrer");
        if (page) {
            exchange.responseHeader("Content-Security-Policy", PAGE_CSP);
        } else {
            exchange.responseHeader("Access-Control-Allow-Origin", "*");
        }
        if (notModified(exchange.requestHeader("If-None-Match").orElse(null), etag)) {
            exchange.status(304).send(new byte[0]);
            return;
        }
        exchange.responseHeader("Content-Type", contentType);
        exchange.send(body);
    }

    private static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
