package io.signaling.adapter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the JWT {@link AccessTokenVerifier}, and mints development tokens.
 *
 * <pre>{@code
 * AccessTokenVerifier verifier = JwtVerifiers.builder()
 *         .audience("signaling")
 *         .hmacKey("k1", "HS256", secretBytes)                 // at least 32 bytes
 *         .publicKeyPem("k2", "ES256", Files.readString(pem))  // -----BEGIN PUBLIC KEY-----
 *         .jwksUri(URI.create("https://idp.example/jwks.json"))
 *         .build();
 * }</pre>
 *
 * <p>Every problem with the keys (a short secret, a key that cannot verify its alg, a public key
 * pinned to an HMAC alg, duplicate kids) is an {@link IllegalArgumentException} from
 * {@link Builder#build()} that lists them all. Thread-safety: the builder is not; the verifier is.
 */
public final class JwtVerifiers {

    public static final String DEFAULT_AUDIENCE = "signaling";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_JWKS_REFRESH = Duration.ofMinutes(5);
    public static final Duration DEFAULT_JWKS_MIN_REFRESH_GAP = Duration.ofSeconds(30);

    private JwtVerifiers() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A token signed with an HMAC key, for development and tests (the {@code token} command):
     * {@code sub}, {@code room}, {@code aud}, {@code iat}, {@code exp} and a random {@code jti}.
     */
    public static String mintHmac(String kid, String alg, byte[] secret, String subject, RoomId room, String audience,
                                  Instant issuedAt, Duration ttl) {
        JWSAlgorithm algorithm = Keys.algorithm(alg);
        Keys.hmac(kid, algorithm, secret); // the same checks as verification
        if (subject == null || subject.isEmpty() || subject.length() > AccessGrant.MAX_IDENTITY_LENGTH) {
            throw new IllegalArgumentException("sub must be 1 to " + AccessGrant.MAX_IDENTITY_LENGTH + " characters");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("room", room.value())
                .audience(audience)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with key '" + kid + "': " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /**
     * An admin token for the room management API, signed with an HMAC key: {@code sub}, {@code aud},
     * {@code iat}, {@code exp} and {@code scope: "rooms:admin"}, no {@code room} (it cannot join).
     */
    public static String mintAdminHmac(String kid, String alg, byte[] secret, String subject, String audience,
                                       Instant issuedAt, Duration ttl) {
        JWSAlgorithm algorithm = Keys.algorithm(alg);
        Keys.hmac(kid, algorithm, secret);
        if (subject == null || subject.isEmpty() || subject.length() > AccessGrant.MAX_IDENTITY_LENGTH) {
            throw new IllegalArgumentException("sub must be 1 to " + AccessGrant.MAX_IDENTITY_LENGTH + " characters");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("scope", io.signaling.ports.auth.AdminGrant.ROOMS_ADMIN_SCOPE)
                .audience(audience)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with key '" + kid + "': " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** Collects keys and policy; {@link #build()} validates them all at once. */
    public static final class Builder {
        private final List<Runnable> keySteps = new ArrayList<>();
        private final Map<String, PinnedKey> keysById = new HashMap<>();
        private final List<PinnedKey> keysWithoutId = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private String audience = DEFAULT_AUDIENCE;
        private Set<String> issuers = Set.of();
        private Duration skew = DEFAULT_CLOCK_SKEW;
        private Clock clock = Clock.systemUTC();
        private URI jwksUri;
        private Duration jwksRefresh = DEFAULT_JWKS_REFRESH;
        private Duration jwksMinRefreshGap = DEFAULT_JWKS_MIN_REFRESH_GAP;
        private Duration jwksTimeout = Duration.ofSeconds(5);
        private LoggerFactory loggers = LoggerFactory.noop();

        private Builder() {
        }

        /** The value {@code aud} must contain; default {@code signaling}. */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** The accepted {@code iss} values; empty (the default) accepts any issuer. */
        public Builder issuers(List<String> issuers) {
            this.issuers = Set.copyOf(new LinkedHashSet<>(issuers));
            return this;
        }

        /** How far {@code exp}, {@code nbf} and {@code iat} may be off; default 30 s. */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative()) {
                throw new IllegalArgumentException("clock skew must not be negative");
            }
            this.skew = skew;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder loggers(LoggerFactory loggers) {
            this.loggers = Objects.requireNonNull(loggers, "loggers");
            return this;
        }

        /** An HMAC key (HS256: at least 32 bytes, HS384: 48, HS512: 64). {@code kid} may be null. */
        public Builder hmacKey(String kid, String alg, byte[] secret) {
            keySteps.add(() -> add(kid, () -> Keys.hmac(kid, Keys.algorithm(alg), secret)));
            return this;
        }

        /** A public key in PEM (SubjectPublicKeyInfo) pinned to RS*, ES* or EdDSA. {@code kid} may be null. */
        public Builder publicKeyPem(String kid, String alg, String pem) {
            keySteps.add(() -> add(kid, () -> Keys.pem(kid, Keys.algorithm(alg), pem)));
            return this;
        }

        /** A JWKS URL, fetched at build time and in the background after; its keys must have a kid. */
        public Builder jwksUri(URI uri) {
            this.jwksUri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /** How old the cached key set may get before a background refresh; default 5 min. */
        public Builder jwksRefresh(Duration interval) {
            this.jwksRefresh = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** The least time between two fetches started by unknown kids; default 30 s. */
        public Builder jwksMinRefreshGap(Duration gap) {
            this.jwksMinRefreshGap = Objects.requireNonNull(gap, "gap");
            return this;
        }

        public Builder jwksTimeout(Duration timeout) {
            this.jwksTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        private void add(String kid, java.util.function.Supplier<PinnedKey> key) {
            try {
                PinnedKey pinned = key.get();
                if (kid == null) {
                    keysWithoutId.add(pinned);
                } else if (keysById.putIfAbsent(kid, pinned) != null) {
                    problems.add("kid '" + kid + "' is configured twice");
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }

        /** Every problem {@link #build()} would throw for, without building or fetching anything. */
        public List<String> problems() {
            problems.clear();
            keysById.clear();
            keysWithoutId.clear();
            keySteps.forEach(Runnable::run);
            if (audience.isBlank()) {
                problems.add("audience must not be blank");
            }
            if (jwksUri != null && !"https".equals(jwksUri.getScheme()) && !"http".equals(jwksUri.getScheme())) {
                problems.add("jwks-uri must be an http(s) URL");
            }
            if (keysById.isEmpty() && keysWithoutId.isEmpty() && jwksUri == null) {
                problems.add("no keys: configure at least one key or a jwks-uri");
            }
            return List.copyOf(problems);
        }

        public AccessTokenVerifier build() {
            problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            JwksKeys jwks = null;
            if (jwksUri != null) {
                Logger log = loggers.logger(JwtVerifiers.class);
                jwks = new JwksKeys(jwksUri, jwksRefresh, jwksMinRefreshGap, jwksTimeout, clock, log);
                if (!jwks.refreshNow()) {
                    log.warn("jwks not loaded at start; tokens naming its keys fail until a refresh works",
                            "jwks_uri", jwksUri.toString());
                }
            }
            return new NimbusAccessTokenVerifier(keysById, keysWithoutId, jwks, audience, issuers, skew, clock);
        }
    }
}
