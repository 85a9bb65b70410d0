package io.signaling.application.ice;

import io.signaling.domain.signaling.IceServer;
import io.signaling.ports.signaling.IceSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the {@code iceServers} of one connection: STUN URLs as they are, and TURN URLs with a
 * TURN REST credential: {@code username = "<expiry unix seconds>:<opaque id>"},
 * {@code credential = base64(HMAC-SHA1(secret, username))}, signed with the first configured
 * secret. The opaque id is 96 random bits per call (never the peer id or the identity), so a
 * TURN server's logs cannot link a relay to a signaling session by name.
 *
 * <p>Thread-safety: safe for concurrent use when the random generator is (the default,
 * {@link java.security.SecureRandom}, is).
 */
public final class TurnCredentials {

    private static final int OPAQUE_ID_BYTES = 12;

    /** What one call minted, and when its TURN credential expires. */
    public record Issued(List<IceServer> servers, Instant expiresAt) {
        public Issued {
            servers = List.copyOf(servers);
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    private final IceSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final List<String> stunUrls = new ArrayList<>();
    private final List<String> turnUrls = new ArrayList<>();
    private final SecretKeySpec signingKey;

    public TurnCredentials(IceSettings settings, Clock clock, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        for (String url : settings.urls()) {
            String lower = url.toLowerCase(Locale.ROOT);
            (lower.startsWith("turn:") || lower.startsWith("turns:") ? turnUrls : stunUrls).add(url);
        }
        this.signingKey = settings.secrets().isEmpty() ? null
                : new SecretKeySpec(settings.secrets().get(0).getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    }

    /** Whether there is anything to hand out. */
    public boolean configured() {
        return settings.configured();
    }

    /** Whether the minted servers carry a credential that expires (and so want a refresh). */
    public boolean expiring() {
        return !turnUrls.isEmpty();
    }

    public IceSettings settings() {
        return settings;
    }

    /** Fresh servers for one connection (a new opaque id and expiry each call). */
    public Issued issue() {
        Instant expiresAt = clock.instant().plus(settings.ttl());
        List<IceServer> servers = new ArrayList<>(2);
        if (!stunUrls.isEmpty()) {
            servers.add(IceServer.stun(stunUrls));
        }
        if (!turnUrls.isEmpty()) {
            String username = expiresAt.getEpochSecond() + ":" + opaqueId();
            servers.add(IceServer.turn(turnUrls, username, sign(signingKey, username)));
        }
        return new Issued(servers, expiresAt);
    }

    /** {@code base64(HMAC-SHA1(secret, username))}: the password coturn derives for {@code username}. */
    public static String credential(String secret, String username) {
        return sign(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"), username);
    }

    private static String sign(SecretKeySpec key, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JDK", e);
        }
    }

    private String opaqueId() {
        byte[] bytes = new byte[OPAQUE_ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
