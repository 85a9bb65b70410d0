package io.signaling.adapter.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.auth.TokenRejectedException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the access-token path of the WebSocket upgrade: {@link AccessTokenVerifier#verify}, whose
 * {@link TokenRejectedException} the upgrade turns into 401 (every other exception would be a 500).
 * Regression mode (every build) replays the committed inputs under
 * {@code src/test/resources/.../AccessTokenFuzzTestInputs/verify/}; fuzzing mode is
 * {@code JAZZER_FUZZ=1} (docs/reliability.md).
 *
 * <p>An input is either a raw token (the bytes as UTF-8, as it arrives in the header or query), or,
 * when it starts with {@code !} or {@code ?}, a header JSON line and a payload JSON that this test
 * encodes and signs itself with HS256 (with the secret of key {@code k1}, or of the key without a
 * kid), so that the fuzzer reaches the claim checks behind the signature it could never forge.
 *
 * <p>Properties, on every input: {@code verify} returns a grant or throws
 * {@link TokenRejectedException} with a check and a message that does not quote the token, nothing
 * else; and a grant is given only to a token that is valid by an oracle independent of the code
 * under test: the signature recomputed with {@code javax.crypto} over the token's first two parts
 * with the key its header names, {@code alg} pinned to HS256, and {@code exp}, {@code nbf},
 * {@code iat}, {@code aud}, {@code sub} and {@code room} read from the payload and checked here,
 * with the grant carrying exactly those claims.
 */
class AccessTokenFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final long MAX_EPOCH_SECOND = Instant.MAX.getEpochSecond();
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final AccessTokenVerifier VERIFIER = verifier();

    private static AccessTokenVerifier verifier() {
        try {
            return JwtVerifiers.builder()
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .clockSkew(SKEW)
                    .hmacKey("k1", "HS256", TestTokens.SECRET_1)
                    .hmacKey(null, "HS256", TestTokens.SECRET_2)
                    .publicKeyPem("k2", "RS256", TestTokens.pem(TestTokens.rsa().getPublic()))
                    .publicKeyPem("k3", "ES256", TestTokens.pem(TestTokens.ec256().getPublic()))
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void verify(byte[] input) throws Exception {
        String token = token(input);
        AccessGrant grant;
        try {
            grant = VERIFIER.verify(token);
        } catch (TokenRejectedException rejected) {
            assertThat(rejected.check()).isNotNull();
            assertThat(rejected.getMessage()).isNotBlank();
            if (token.length() >= 24) {
                assertThat(rejected.getMessage()).as("the refusal never quotes the token").doesNotContain(token);
            }
            return;
        }
        // Anything but a grant or a TokenRejectedException has failed the test above already.
        checkGrantIsDeserved(token, grant);
    }

    /** The oracle's grant branch is exercised: the valid seeds are granted, and deserve it. */
    @Test
    void theValidSeedsAreGrantedAndPassTheOracle() throws Exception {
        for (String seed : List.of("signed-valid-k1", "signed-valid-no-kid", "raw-valid-k1")) {
            try (InputStream in = AccessTokenFuzzTest.class.getResourceAsStream("AccessTokenFuzzTestInputs/verify/" + seed)) {
                assertThat(in).as(seed).isNotNull();
                String token = token(in.readAllBytes());
                checkGrantIsDeserved(token, VERIFIER.verify(token));
            }
        }
    }

    /** The raw token, or the token this test signs from a header line and a payload. */
    private static String token(byte[] input) throws Exception {
        if (input.length == 0 || (input[0] != '!' && input[0] != '?')) {
            return new String(input, StandardCharsets.UTF_8);
        }
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String header = newline < 0 ? text : text.substring(0, newline);
        String payload = newline < 0 ? "" : text.substring(newline + 1);
        String signingInput = b64(header) + "." + b64(payload);
        byte[] secret = input[0] == '!' ? TestTokens.SECRET_1 : TestTokens.SECRET_2;
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(secret, signingInput));
    }

    private static void checkGrantIsDeserved(String token, AccessGrant grant) throws Exception {
        String[] parts = token.split("\\.", -1);
        assertThat(parts).as("a granted token has three parts").hasSize(3);
        Map<String, Object> header = JSONObjectUtils.parse(decode(parts[0]));
        assertThat(header.get("alg")).as("alg of a granted token").isEqualTo("HS256");
        Object kid = header.get("kid");
        byte[] secret = kid == null ? TestTokens.SECRET_2 : "k1".equals(kid) ? TestTokens.SECRET_1 : null;
        assertThat(secret).as("a granted token's kid names an HMAC key: %s", kid).isNotNull();
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(MessageDigest.isEqual(signature, hmac(secret, parts[0] + "." + parts[1])))
                .as("a granted token's signature verifies independently").isTrue();

        Map<String, Object> claims = JSONObjectUtils.parse(decode(parts[1]));
        Instant exp = seconds(claims.get("exp"));
        assertThat(exp).as("exp of a granted token").isNotNull();
        assertThat(exp.plus(SKEW)).as("a granted token has not expired").isAfterOrEqualTo(NOW);
        Instant nbf = seconds(claims.get("nbf"));
        assertThat(nbf == null || !nbf.minus(SKEW).isAfter(NOW)).as("nbf %s", nbf).isTrue();
        Instant iat = seconds(claims.get("iat"));
        assertThat(iat == null || !iat.minus(SKEW).isAfter(NOW)).as("iat %s", iat).isTrue();
        Object aud = claims.get("aud");
        assertThat(JwtVerifiers.DEFAULT_AUDIENCE.equals(aud)
                || (aud instanceof List<?> list && list.contains(JwtVerifiers.DEFAULT_AUDIENCE)))
                .as("aud of a granted token: %s", aud).isTrue();
        Object sub = claims.get("sub");
        assertThat(sub).isInstanceOf(String.class);
        assertThat(grant.identity()).isEqualTo(sub);
        Object room = claims.get("room");
        assertThat(room instanceof String r && ROOM.matcher(r).matches()).as("room of a granted token: %s", room).isTrue();
        assertThat(grant.room().value()).isEqualTo(room);
        assertThat(grant.expiresAt()).isEqualTo(exp);
    }

    /** A NumericDate claim (seconds since the epoch, JSON number) as an instant; null when absent. */
    private static Instant seconds(Object claim) {
        if (claim == null) {
            return null;
        }
        if (!(claim instanceof Number n)) {
            return fail("a granted token's date claim is not a number: " + claim);
        }
        // Whole seconds (a fraction is dropped, so the grant never outlives the claim), within Instant's range.
        return Instant.ofEpochSecond(Math.max(-MAX_EPOCH_SECOND, Math.min(MAX_EPOCH_SECOND, n.longValue())));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] secret, String signingInput) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    }
}
