package io.signaling.ports.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.signaling.domain.signaling.RoomId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link AccessTokenVerifier} meets, whatever its token format. An
 * implementation's test extends this class, builds a verifier on the given clock (audience
 * {@link #AUDIENCE}, no issuer restriction, clock skew {@link #SKEW}) and issues tokens it
 * accepts as valid from a {@link TokenSpec}.
 */
public abstract class AccessTokenVerifierContract {

    protected static final String AUDIENCE = "signaling";
    protected static final Duration SKEW = Duration.ofSeconds(30);
    protected static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    /**
     * What a test token says; a {@code null} field is left out of the token.
     *
     * @param audience the audience claim (one value)
     */
    public record TokenSpec(String subject, String room, Instant expiresAt, Instant notBefore, String audience,
                            String scope) {

        public TokenSpec(String subject, String room, Instant expiresAt, Instant notBefore, String audience) {
            this(subject, room, expiresAt, notBefore, audience, null);
        }

        /** An admin token valid at {@link #NOW} for ten minutes: scope {@code rooms:admin}, no room. */
        public static TokenSpec admin() {
            return new TokenSpec("ops", null, NOW.plusSeconds(600), null, AUDIENCE, AdminGrant.ROOMS_ADMIN_SCOPE);
        }

        public TokenSpec scope(String value) {
            return new TokenSpec(subject, room, expiresAt, notBefore, audience, value);
        }

        /** A token valid at {@link #NOW} for ten minutes. */
        public static TokenSpec valid() {
            return new TokenSpec("alice", "demo", NOW.plusSeconds(600), null, AUDIENCE);
        }

        public TokenSpec subject(String value) {
            return new TokenSpec(value, room, expiresAt, notBefore, audience, scope);
        }

        public TokenSpec room(String value) {
            return new TokenSpec(subject, value, expiresAt, notBefore, audience, scope);
        }

        public TokenSpec expiresAt(Instant value) {
            return new TokenSpec(subject, room, value, notBefore, audience, scope);
        }

        public TokenSpec notBefore(Instant value) {
            return new TokenSpec(subject, room, expiresAt, value, audience, scope);
        }

        public TokenSpec audience(String value) {
            return new TokenSpec(subject, room, expiresAt, notBefore, value, scope);
        }
    }

    protected AccessTokenVerifier verifier;
    private ExecutorService pool;

    /** A verifier reading time from {@code clock}, audience {@link #AUDIENCE}, any issuer, skew {@link #SKEW}. */
    protected abstract AccessTokenVerifier newVerifier(Clock clock);

    /** A token carrying {@code spec}, signed the way {@link #newVerifier} accepts. */
    protected abstract String issue(TokenSpec spec);

    @BeforeEach
    void setUpVerifier() {
        verifier = newVerifier(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDownPool() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Asserts the token is refused for {@code check} with a message that does not echo it. */
    protected TokenRejectedException assertRefused(String token, TokenCheck check) {
        TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class, () -> verifier.verify(token));
        assertThat(e).as("token must be refused for %s", check).isNotNull();
        assertThat(e.check()).isEqualTo(check);
        assertNoEcho(e, token);
        return e;
    }

    /** The message carries no piece of the token long enough to matter (any 16 characters of it). */
    protected static void assertNoEcho(TokenRejectedException e, String token) {
        assertThat(e.getMessage()).isNotBlank();
        if (token != null && token.length() >= 16) {
            for (int i = 0; i + 16 <= token.length(); i += 8) {
                assertThat(e.getMessage()).doesNotContain(token.substring(i, i + 16));
            }
        }
    }

    @Test
    void aValidTokenGivesItsGrant() throws Exception {
        AccessGrant grant = verifier.verify(issue(TokenSpec.valid()));
        assertThat(grant).isEqualTo(new AccessGrant("alice", RoomId.of("demo"), NOW.plusSeconds(600)));
        assertThat(grant.allows(RoomId.of("demo"))).isTrue();
        assertThat(grant.allows(RoomId.of("other"))).isFalse();
    }

    @Test
    void anAdminTokenGrantsAdministrationAndNoRoom() throws Exception {
        String admin = issue(TokenSpec.admin());
        assertThat(verifier.verifyAdmin(admin)).isEqualTo(new AdminGrant("ops", NOW.plusSeconds(600)));
        assertRefused(admin, TokenCheck.SCOPE);
        // Other scopes next to it are fine; a join token, or another scope alone, grants no administration.
        assertThat(verifier.verifyAdmin(issue(TokenSpec.admin().scope("openid rooms:admin")))).isNotNull();
        for (String notAdmin : List.of(issue(TokenSpec.valid()), issue(TokenSpec.admin().scope("rooms:read")))) {
            TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class,
                    () -> verifier.verifyAdmin(notAdmin));
            assertThat(e.check()).isEqualTo(TokenCheck.SCOPE);
            assertNoEcho(e, notAdmin);
        }
        // Every other check applies to admin tokens as to join tokens.
        TokenRejectedException expired = catchThrowableOfType(TokenRejectedException.class,
                () -> verifier.verifyAdmin(issue(TokenSpec.admin().expiresAt(NOW.minusSeconds(120)))));
        assertThat(expired.check()).isEqualTo(TokenCheck.EXPIRED);
        TokenRejectedException audience = catchThrowableOfType(TokenRejectedException.class,
                () -> verifier.verifyAdmin(issue(TokenSpec.admin().audience("elsewhere"))));
        assertThat(audience.check()).isEqualTo(TokenCheck.AUDIENCE);
        assertThat(catchThrowableOfType(TokenRejectedException.class, () -> verifier.verifyAdmin(null)).check())
                .isEqualTo(TokenCheck.MISSING);
    }

    @Test
    void noTokenIsMissing() {
        assertRefused(null, TokenCheck.MISSING);
        assertRefused("", TokenCheck.MISSING);
    }

    @Test
    void aTokenOverEightKibIsRefusedBeforeParsing() {
        String valid = issue(TokenSpec.valid());
        String padded = valid + "A".repeat(AccessTokenVerifier.MAX_TOKEN_CHARS + 1 - valid.length());
        assertRefused(padded, TokenCheck.SIZE);
        assertRefused("{".repeat(AccessTokenVerifier.MAX_TOKEN_CHARS + 1), TokenCheck.SIZE);
    }

    @Test
    void garbageIsMalformed() {
        assertRefused("not a token", TokenCheck.FORMAT);
        assertRefused("a.b", TokenCheck.FORMAT);
        assertRefused("....", TokenCheck.FORMAT);
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = issue(TokenSpec.valid());
        int middle = token.length() / 2;
        char replacement = token.charAt(middle) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, middle) + replacement + token.substring(middle + 1);
        TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class, () -> verifier.verify(tampered));
        assertThat(e).isNotNull();
        assertNoEcho(e, tampered);
    }

    @Test
    void anExpiredTokenIsRefusedBeyondTheSkewOnly() throws Exception {
        assertRefused(issue(TokenSpec.valid().expiresAt(NOW.minus(SKEW).minusSeconds(1))), TokenCheck.EXPIRED);
        assertThat(verifier.verify(issue(TokenSpec.valid().expiresAt(NOW.minus(SKEW).plusSeconds(1)))).identity())
                .isEqualTo("alice");
    }

    @Test
    void aTokenNotYetValidIsRefusedBeyondTheSkewOnly() throws Exception {
        assertRefused(issue(TokenSpec.valid().notBefore(NOW.plus(SKEW).plusSeconds(1))), TokenCheck.NOT_YET_VALID);
        assertThat(verifier.verify(issue(TokenSpec.valid().notBefore(NOW.plus(SKEW).minusSeconds(1)))).identity())
                .isEqualTo("alice");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertRefused(issue(TokenSpec.valid().audience("someone-else")), TokenCheck.AUDIENCE);
        assertRefused(issue(TokenSpec.valid().audience(null)), TokenCheck.AUDIENCE);
    }

    @Test
    void requiredClaimsMustBePresentAndWellFormed() {
        assertRefused(issue(TokenSpec.valid().subject(null)), TokenCheck.CLAIMS);
        assertRefused(issue(TokenSpec.valid().subject("")), TokenCheck.CLAIMS);
        assertRefused(issue(TokenSpec.valid().subject("x".repeat(AccessGrant.MAX_IDENTITY_LENGTH + 1))),
                TokenCheck.CLAIMS);
        assertRefused(issue(TokenSpec.valid().room(null)), TokenCheck.CLAIMS);
        assertRefused(issue(TokenSpec.valid().room("not a room")), TokenCheck.CLAIMS);
        assertRefused(issue(TokenSpec.valid().expiresAt(null)), TokenCheck.CLAIMS);
    }

    @Test
    void theLongestIdentityIsAccepted() throws Exception {
        String longest = "x".repeat(AccessGrant.MAX_IDENTITY_LENGTH);
        assertThat(verifier.verify(issue(TokenSpec.valid().subject(longest))).identity()).isEqualTo(longest);
    }

    @Test
    void concurrentVerificationsEachGetTheirOwnAnswer() throws Exception {
        pool = Executors.newFixedThreadPool(4);
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String identity = "user-" + i;
            String token = issue(TokenSpec.valid().subject(identity));
            String expired = issue(TokenSpec.valid().subject(identity).expiresAt(NOW.minusSeconds(3600)));
            results.add(pool.submit(() -> {
                assertThat(verifier.verify(token).identity()).isEqualTo(identity);
                assertThat(catchThrowableOfType(TokenRejectedException.class, () -> verifier.verify(expired)).check())
                        .isEqualTo(TokenCheck.EXPIRED);
                return null;
            }));
        }
        for (Future<?> result : results) {
            assertThatCode(() -> result.get(60, TimeUnit.SECONDS)).doesNotThrowAnyException();
        }
    }
}
