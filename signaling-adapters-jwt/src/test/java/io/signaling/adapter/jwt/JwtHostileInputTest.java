package io.signaling.adapter.jwt;

import static io.signaling.adapter.jwt.TestTokens.SECRET_1;
import static io.signaling.adapter.jwt.TestTokens.SECRET_2;
import static io.signaling.adapter.jwt.TestTokens.b64;
import static io.signaling.adapter.jwt.TestTokens.claims;
import static io.signaling.adapter.jwt.TestTokens.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.auth.AccessTokenVerifierContract.TokenSpec;
import io.signaling.ports.auth.TokenCheck;
import io.signaling.ports.auth.TokenRejectedException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each hostile token of issue 13, one test each, against the JWT adapter. */
class JwtHostileInputTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static JWTClaimsSet valid() {
        return claims(TokenSpec.valid());
    }

    private static JwtVerifiers.Builder builder() {
        return JwtVerifiers.builder().clock(CLOCK);
    }

    private static TokenCheck refusal(AccessTokenVerifier verifier, String token) {
        TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class, () -> verifier.verify(token));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).doesNotContain(token.substring(0, Math.min(token.length(), 20)));
        if (token.length() > 40) {
            assertThat(e.getMessage()).doesNotContain(token.substring(token.length() - 20));
        }
        return e.check();
    }

    @Test
    void algNoneIsRefusedEvenWithAKidThatExists() {
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).build();
        String payload = b64(valid().toString());
        assertThat(refusal(verifier, b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + payload + "."))
                .isEqualTo(TokenCheck.ALGORITHM);
        assertThat(refusal(verifier, b64("{\"alg\":\"none\"}") + "." + payload + ".")).isEqualTo(TokenCheck.ALGORITHM);
        assertThat(refusal(verifier, b64("{\"alg\":\"none\"}") + "." + payload)).isEqualTo(TokenCheck.FORMAT);
    }

    @Test
    void anHs256TokenSignedWithTheConfiguredRsaPublicKeyIsRefused() throws Exception {
        KeyPair rsa = TestTokens.rsa();
        String pem = TestTokens.pem(rsa.getPublic());
        AccessTokenVerifier withKid = builder().publicKeyPem("k2", "RS256", pem).build();
        // The classic confusion: the attacker knows the public key and uses its bytes as an HMAC secret.
        for (byte[] secret : List.of(pem.getBytes(StandardCharsets.US_ASCII), rsa.getPublic().getEncoded())) {
            String forged = TestTokens.sign(JWSAlgorithm.HS256, "k2", new MACSigner(secret), valid());
            assertThat(refusal(withKid, forged)).isEqualTo(TokenCheck.ALGORITHM);
        }
        AccessTokenVerifier withoutKid = builder().publicKeyPem(null, "RS256", pem).build();
        String forged = TestTokens.sign(JWSAlgorithm.HS256, null, new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)),
                valid());
        assertThat(refusal(withoutKid, forged)).isEqualTo(TokenCheck.KEY);
        // ...while the real RS256 token passes on both.
        assertThat(withKid.verify(TestTokens.rs256("k2", rsa.getPrivate(), valid())).identity()).isEqualTo("alice");
        assertThat(withoutKid.verify(TestTokens.rs256(null, rsa.getPrivate(), valid())).identity()).isEqualTo("alice");
    }

    @Test
    void aPublicKeyCannotBeConfiguredForAnHmacAlgorithm() throws Exception {
        String pem = TestTokens.pem(TestTokens.rsa().getPublic());
        assertThatThrownBy(() -> builder().publicKeyPem("k2", "HS256", pem).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HMAC");
    }

    @Test
    void aKidNamingAnotherKeyFailsItsSignature() {
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).hmacKey("k2", "HS256", SECRET_2).build();
        assertThat(refusal(verifier, hs256("k2", SECRET_1, valid()))).isEqualTo(TokenCheck.SIGNATURE);
    }

    @Test
    void aValidTokenRespelledWithCharactersOutsideBase64UrlIsRefused() throws Exception {
        // Nimbus' decoder skips such characters: without the format check each variant verified.
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).build();
        String token = hs256("k1", SECRET_1, valid());
        int sig = token.lastIndexOf('.') + 5;
        for (String inserted : List.of("*", " ", "=", "+", "/", "\n", "%41")) {
            String respelled = token.substring(0, sig) + inserted + token.substring(sig);
            assertThat(refusal(verifier, respelled)).as("with %s", inserted).isEqualTo(TokenCheck.FORMAT);
        }
        assertThat(refusal(verifier, token + "==")).isEqualTo(TokenCheck.FORMAT);
        assertThat(verifier.verify(token).identity()).isEqualTo("alice");
    }

    @Test
    void anUnknownKidIsRefused() {
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).build();
        assertThat(refusal(verifier, hs256("k9", SECRET_1, valid()))).isEqualTo(TokenCheck.KEY);
    }

    @Test
    void aTamperedPayloadFailsTheSignature() {
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).build();
        String token = hs256("k1", SECRET_1, valid());
        String[] parts = token.split("\\.");
        JWTClaimsSet other = new JWTClaimsSet.Builder(valid()).claim("room", "secret-room").build();
        String tampered = parts[0] + "." + b64(other.toString()) + "." + parts[2];
        assertThat(refusal(verifier, tampered)).isEqualTo(TokenCheck.SIGNATURE);
    }

    @Test
    void expiredAndNotYetValidBeyondTheSkew() {
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).clockSkew(java.time.Duration.ofSeconds(30))
                .build();
        assertThat(refusal(verifier, hs256("k1", SECRET_1, claims(TokenSpec.valid().expiresAt(NOW.minusSeconds(31))))))
                .isEqualTo(TokenCheck.EXPIRED);
        assertThat(refusal(verifier, hs256("k1", SECRET_1, claims(TokenSpec.valid().notBefore(NOW.plusSeconds(31))))))
                .isEqualTo(TokenCheck.NOT_YET_VALID);
        JWTClaimsSet futureIat = new JWTClaimsSet.Builder(valid()).issueTime(Date.from(NOW.plusSeconds(3600))).build();
        assertThat(refusal(verifier, hs256("k1", SECRET_1, futureIat))).isEqualTo(TokenCheck.NOT_YET_VALID);
    }

    @Test
    void wrongAudienceAndWrongIssuer() throws Exception {
        AccessTokenVerifier verifier = builder().audience("signaling").issuers(List.of("https://app.example"))
                .hmacKey("k1", "HS256", SECRET_1).build();
        JWTClaimsSet good = new JWTClaimsSet.Builder(valid()).issuer("https://app.example").build();
        assertThat(verifier.verify(hs256("k1", SECRET_1, good)).identity()).isEqualTo("alice");
        assertThat(refusal(verifier, hs256("k1", SECRET_1, new JWTClaimsSet.Builder(good).audience("other").build())))
                .isEqualTo(TokenCheck.AUDIENCE);
        assertThat(refusal(verifier, hs256("k1", SECRET_1, new JWTClaimsSet.Builder(good)
                .issuer("https://evil.example").build()))).isEqualTo(TokenCheck.ISSUER);
        assertThat(refusal(verifier, hs256("k1", SECRET_1, valid()))).isEqualTo(TokenCheck.ISSUER);
        JWTClaimsSet listAudience = new JWTClaimsSet.Builder(good).audience(List.of("x", "signaling")).build();
        assertThat(verifier.verify(hs256("k1", SECRET_1, listAudience)).identity()).isEqualTo("alice");
    }

    @Test
    void missingSubRoomOrExp() {
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).build();
        assertThat(refusal(verifier, hs256("k1", SECRET_1, claims(TokenSpec.valid().subject(null)))))
                .isEqualTo(TokenCheck.CLAIMS);
        assertThat(refusal(verifier, hs256("k1", SECRET_1, claims(TokenSpec.valid().room(null)))))
                .isEqualTo(TokenCheck.CLAIMS);
        assertThat(refusal(verifier, hs256("k1", SECRET_1, claims(TokenSpec.valid().expiresAt(null)))))
                .isEqualTo(TokenCheck.CLAIMS);
        JWTClaimsSet numericRoom = new JWTClaimsSet.Builder(valid()).claim("room", 42).build();
        assertThat(refusal(verifier, hs256("k1", SECRET_1, numericRoom))).isEqualTo(TokenCheck.CLAIMS);
        JWTClaimsSet textExp = new JWTClaimsSet.Builder(valid()).claim("exp", "tomorrow").build();
        assertThat(refusal(verifier, hs256("k1", SECRET_1, textExp))).isEqualTo(TokenCheck.CLAIMS);
    }

    @Test
    void aTokenOverEightKibIsNotParsed() {
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).build();
        JWTClaimsSet big = new JWTClaimsSet.Builder(valid()).claim("pad", "x".repeat(9000)).build();
        String token = hs256("k1", SECRET_1, big);
        assertThat(token.length()).isGreaterThan(AccessTokenVerifier.MAX_TOKEN_CHARS);
        assertThat(refusal(verifier, token)).isEqualTo(TokenCheck.SIZE);
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutBlowingTheStack() {
        AccessTokenVerifier verifier = builder().hmacKey("k1", "HS256", SECRET_1).build();
        int depth = 2_500;
        String nested = "{\"sub\":\"alice\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        String header = b64("{\"alg\":\"HS256\",\"kid\":\"k1\"}");
        String token = header + "." + b64(nested) + "." + b64("sig");
        assertThat(token.length()).isLessThanOrEqualTo(AccessTokenVerifier.MAX_TOKEN_CHARS);
        assertThat(refusal(verifier, token)).isEqualTo(TokenCheck.FORMAT);
        String nestedHeader = b64("{\"alg\":\"HS256\",\"x\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000) + "}");
        assertThat(refusal(verifier, nestedHeader + "." + b64("{}") + "." + b64("sig"))).isEqualTo(TokenCheck.FORMAT);
    }

    @Test
    void keyRotationWithTwoKeys() throws Exception {
        AccessTokenVerifier verifier = builder().hmacKey("old", "HS256", SECRET_1).hmacKey("new", "HS256", SECRET_2)
                .build();
        assertThat(verifier.verify(hs256("old", SECRET_1, valid())).identity()).isEqualTo("alice");
        assertThat(verifier.verify(hs256("new", SECRET_2, valid())).identity()).isEqualTo("alice");
        AccessTokenVerifier afterRotation = builder().hmacKey("new", "HS256", SECRET_2).build();
        assertThat(refusal(afterRotation, hs256("old", SECRET_1, valid()))).isEqualTo(TokenCheck.KEY);
    }

    @Test
    void everyPublicKeyAlgorithmFromPem() throws Exception {
        KeyPair rsa = TestTokens.rsa();
        KeyPair ec = TestTokens.ec256();
        KeyPair ed = TestTokens.ed25519Pair();
        AccessTokenVerifier verifier = builder()
                .publicKeyPem("r", "RS256", TestTokens.pem(rsa.getPublic()))
                .publicKeyPem("e", "ES256", TestTokens.pem(ec.getPublic()))
                .publicKeyPem("d", "EdDSA", TestTokens.pem(ed.getPublic()))
                .build();
        assertThat(verifier.verify(TestTokens.rs256("r", rsa.getPrivate(), valid())).identity()).isEqualTo("alice");
        assertThat(verifier.verify(TestTokens.es256("e", ec.getPrivate(), valid())).identity()).isEqualTo("alice");
        assertThat(verifier.verify(TestTokens.ed25519("d", ed.getPrivate(), valid())).identity()).isEqualTo("alice");
        // A token naming the EC key but signed RS256 is an algorithm mismatch, not a signature check.
        assertThat(refusal(verifier, TestTokens.rs256("e", rsa.getPrivate(), valid()))).isEqualTo(TokenCheck.ALGORITHM);
        KeyPair otherEd = TestTokens.ed25519Pair();
        assertThat(refusal(verifier, TestTokens.ed25519("d", otherEd.getPrivate(), valid())))
                .isEqualTo(TokenCheck.SIGNATURE);
    }

    @Test
    void badKeyConfigurationListsEveryProblem() throws Exception {
        String rsaPem = TestTokens.pem(TestTokens.rsa().getPublic());
        assertThatThrownBy(() -> builder()
                .hmacKey("short", "HS256", "too-short".getBytes(StandardCharsets.UTF_8))
                .hmacKey("h512", "HS512", SECRET_1)
                .publicKeyPem("ec", "ES256", rsaPem)
                .publicKeyPem("junk", "RS256", "not a pem")
                .hmacKey("dup", "HS256", SECRET_1).hmacKey("dup", "HS256", SECRET_2)
                .hmacKey("x", "none", SECRET_1)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'short': an HS256 secret must be at least 32 bytes")
                .hasMessageContaining("'h512': an HS512 secret must be at least 64 bytes")
                .hasMessageContaining("'ec'")
                .hasMessageContaining("'junk': not a PEM public key")
                .hasMessageContaining("'dup' is configured twice")
                .hasMessageContaining("alg must be one of");
        assertThatThrownBy(() -> builder().build()).hasMessageContaining("no keys");
    }

    @Test
    void withoutKidOnlyASingleKeyOfTheFamilyIsTried() throws Exception {
        AccessTokenVerifier one = builder().hmacKey(null, "HS256", SECRET_1).build();
        assertThat(one.verify(hs256(null, SECRET_1, valid())).identity()).isEqualTo("alice");
        AccessTokenVerifier two = builder().hmacKey(null, "HS256", SECRET_1).hmacKey(null, "HS384",
                "a-forty-eight-byte-secret-for-hs384-xxxxxxxxxxxxx".getBytes(StandardCharsets.UTF_8)).build();
        assertThat(refusal(two, hs256(null, SECRET_1, valid()))).isEqualTo(TokenCheck.KEY);
    }
}
