package io.signaling.adapter.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.signaling.ports.log.Logger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The keys of a JWKS URL, cached. Lookups never wait for the network, because they run on I/O
 * threads: a key that is cached is used (even when the last refresh failed: an outage of the key
 * server must not lock everybody out); an unknown key id fails closed at once and starts a
 * refresh, at most one every {@code minRefreshGap}, so a flood of made-up key ids cannot turn
 * into a flood of fetches. The cache is also refreshed in the background once it is older than
 * {@code refreshInterval}, so keys published ahead of their use are known before the first token
 * signed with them arrives.
 *
 * <p>Thread-safety: safe for concurrent use; the key map is replaced whole, never edited.
 */
final class JwksKeys {

    /** A key set larger than this is not a key set. */
    static final int MAX_JWKS_BYTES = 512 * 1024;

    private final URI uri;
    private final Duration refreshInterval;
    private final Duration minRefreshGap;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final Logger log;
    private final AtomicBoolean fetching = new AtomicBoolean();

    private volatile Map<String, PinnedKey> keys = Map.of();
    private volatile Instant lastSuccess = Instant.MIN;
    private volatile Instant lastAttempt = Instant.MIN;

    JwksKeys(URI uri, Duration refreshInterval, Duration minRefreshGap, Duration timeout, Clock clock, Logger log) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        this.minRefreshGap = Objects.requireNonNull(minRefreshGap, "minRefreshGap");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The cached key {@code kid} names, or {@code null} (and a refresh started, rate-limited). */
    PinnedKey key(String kid) {
        Instant now = clock.instant();
        PinnedKey key = keys.get(kid);
        if (key == null || lastSuccess.plus(refreshInterval).isBefore(now)) {
            refreshInBackground(now);
        }
        return key;
    }

    /** Fetches now and waits, up to the timeout; for start-up, where waiting is fine. Returns whether it worked. */
    boolean refreshNow() {
        CompletableFuture<Boolean> done = refreshInBackground(clock.instant());
        try {
            return done.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    int size() {
        return keys.size();
    }

    private CompletableFuture<Boolean> refreshInBackground(Instant now) {
        if (lastAttempt.plus(minRefreshGap).isAfter(now) || !fetching.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        lastAttempt = now;
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/jwk-set+json, application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(this::accept)
                .exceptionally(error -> {
                    log.warn("jwks refresh failed; cached keys stay in use", "jwks_uri", uri.toString(),
                            "cached_keys", keys.size(), "error", String.valueOf(rootMessage(error)));
                    return false;
                })
                .whenComplete((ok, error) -> fetching.set(false));
    }

    private boolean accept(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_JWKS_BYTES + 1);
            if (bytes.length > MAX_JWKS_BYTES) {
                throw new IOException("key set larger than " + MAX_JWKS_BYTES + " bytes");
            }
            JWKSet set = JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
            Map<String, PinnedKey> fresh = new HashMap<>();
            int skipped = 0;
            for (JWK jwk : set.getKeys()) {
                PinnedKey key = jwk.getKeyID() == null ? null : Keys.fromJwk(jwk);
                if (key == null) {
                    skipped++;
                } else {
                    fresh.put(jwk.getKeyID(), key);
                }
            }
            keys = Map.copyOf(fresh);
            lastSuccess = clock.instant();
            log.info("jwks refreshed", "jwks_uri", uri.toString(), "keys", fresh.size(), "skipped", skipped);
            return true;
        } catch (IOException | java.text.ParseException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
