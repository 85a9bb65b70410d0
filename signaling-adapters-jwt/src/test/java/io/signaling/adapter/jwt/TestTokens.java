package io.signaling.adapter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.signaling.ports.auth.AccessTokenVerifierContract.TokenSpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;

/** Test token and key material, signed independently of the code under test where it matters. */
final class TestTokens {

    static final byte[] SECRET_1 = "k1-secret-material-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    static final byte[] SECRET_2 = "k2-secret-material-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);

    private TestTokens() {
    }

    static JWTClaimsSet claims(TokenSpec spec) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        if (spec.subject() != null) {
            b.subject(spec.subject());
        }
        if (spec.scope() != null) {
            b.claim("scope", spec.scope());
        }
        if (spec.room() != null) {
            b.claim("room", spec.room());
        }
        if (spec.expiresAt() != null) {
            b.expirationTime(Date.from(spec.expiresAt()));
        }
        if (spec.notBefore() != null) {
            b.notBeforeTime(Date.from(spec.notBefore()));
        }
        if (spec.audience() != null) {
            b.audience(spec.audience());
        }
        return b.build();
    }

    static String sign(JWSAlgorithm alg, String kid, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String hs256(String kid, byte[] secret, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.HS256, kid, new MACSigner(secret), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(String kid, PrivateKey key, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, kid, new RSASSASigner(key), claims);
    }

    static String es256(String kid, PrivateKey key, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.ES256, kid, new ECDSASigner((ECPrivateKey) key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** EdDSA signed with the JDK directly. */
    static String ed25519(String kid, PrivateKey key, JWTClaimsSet claims) throws Exception {
        String header = b64("{\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\"}");
        String payload = b64(claims.toString());
        Signature ed = Signature.getInstance("Ed25519");
        ed.initSign(key);
        ed.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + Base64URL.encode(ed.sign());
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ec256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static KeyPair ed25519Pair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
