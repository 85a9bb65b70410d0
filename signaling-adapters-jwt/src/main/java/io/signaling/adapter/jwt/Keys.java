package io.signaling.adapter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/** Turns configured key material into {@link PinnedKey}s, refusing weak or mismatched keys. */
final class Keys {

    static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
    static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    static final int MIN_RSA_BITS = 2048;
    /** Ed25519's SubjectPublicKeyInfo is a fixed 12-byte prefix and the 32-byte key. */
    private static final int ED25519_RAW_BYTES = 32;

    private Keys() {
    }

    /** The algorithms a key may be pinned to, as configuration spells them. */
    static JWSAlgorithm algorithm(String name) {
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        if (!HMAC.contains(alg) && !RSA.contains(alg) && !EC.contains(alg) && !JWSAlgorithm.EdDSA.equals(alg)) {
            throw new IllegalArgumentException("alg must be one of HS256, HS384, HS512, RS256, RS384, RS512, ES256,"
                    + " ES384, ES512, EdDSA; got '" + name + "'");
        }
        return alg;
    }

    /** At least as many bytes as the hash's output (RFC 7518 section 3.2): 32, 48 or 64. */
    static int minSecretBytes(JWSAlgorithm alg) {
        return alg.equals(JWSAlgorithm.HS512) ? 64 : alg.equals(JWSAlgorithm.HS384) ? 48 : 32;
    }

    static PinnedKey hmac(String kid, JWSAlgorithm alg, byte[] secret) {
        if (!HMAC.contains(alg)) {
            throw new IllegalArgumentException("key '" + kid + "': a secret needs an HMAC alg (HS256, HS384, HS512),"
                    + " got " + alg);
        }
        if (secret.length < minSecretBytes(alg)) {
            throw new IllegalArgumentException("key '" + kid + "': an " + alg + " secret must be at least "
                    + minSecretBytes(alg) + " bytes, got " + secret.length);
        }
        try {
            return PinnedKey.nimbus(kid, alg, new MACVerifier(secret.clone()));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("key '" + kid + "': " + e.getMessage(), e);
        }
    }

    /** A public key from PEM text ({@code -----BEGIN PUBLIC KEY-----}, as {@code openssl pkey -pubout} writes it). */
    static PinnedKey pem(String kid, JWSAlgorithm alg, String pem) {
        if (HMAC.contains(alg)) {
            throw new IllegalArgumentException("key '" + kid + "': a public key cannot be pinned to the HMAC alg "
                    + alg + " (that would let anyone who has the public key sign)");
        }
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("key '" + kid + "': not a PEM public key (expected " + begin
                    + "; convert with: openssl pkey -pubin -in key.pem -pubout)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key '" + kid + "': the PEM body is not base64", e);
        }
        String keyAlgorithm = RSA.contains(alg) ? "RSA" : EC.contains(alg) ? "EC" : "Ed25519";
        PublicKey key;
        try {
            key = KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key '" + kid + "': not a " + keyAlgorithm + " public key, which "
                    + alg + " needs", e);
        }
        return publicKey(kid, alg, key);
    }

    static PinnedKey publicKey(String kid, JWSAlgorithm alg, PublicKey key) {
        try {
            if (RSA.contains(alg) && key instanceof RSAPublicKey rsa) {
                if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    throw new IllegalArgumentException("key '" + kid + "': RSA keys must be at least " + MIN_RSA_BITS
                            + " bits, got " + rsa.getModulus().bitLength());
                }
                return PinnedKey.nimbus(kid, alg, new RSASSAVerifier(rsa));
            }
            if (EC.contains(alg) && key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (curve == null || !Curve.forJWSAlgorithm(alg).contains(curve)) {
                    throw new IllegalArgumentException("key '" + kid + "': " + alg + " needs a key on "
                            + Curve.forJWSAlgorithm(alg) + ", got " + curve);
                }
                return PinnedKey.nimbus(kid, alg, new ECDSAVerifier(ec));
            }
            if (JWSAlgorithm.EdDSA.equals(alg) && "Ed25519".equalsIgnoreCase(edName(key))) {
                return PinnedKey.ed25519(kid, key);
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("key '" + kid + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("key '" + kid + "': a " + key.getAlgorithm() + " key cannot verify " + alg);
    }

    private static String edName(PublicKey key) {
        String algorithm = key.getAlgorithm();
        return "EdDSA".equalsIgnoreCase(algorithm) ? "Ed25519" : algorithm;
    }

    /**
     * A key published in a JWKS, pinned to its {@code alg} member or, without one, to the one
     * algorithm its type implies (RSA: RS256; EC: by curve; OKP Ed25519: EdDSA). Returns
     * {@code null} for keys not usable for verifying signatures (encryption keys, private-only,
     * unsupported types): they are skipped, not fatal.
     */
    static PinnedKey fromJwk(JWK jwk) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return null;
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                JWSAlgorithm alg = pinned(jwk, JWSAlgorithm.RS256);
                return RSA.contains(alg) ? publicKey(jwk.getKeyID(), alg, rsa.toRSAPublicKey()) : null;
            }
            if (jwk instanceof ECKey ec) {
                JWSAlgorithm implied = Curve.P_256.equals(ec.getCurve()) ? JWSAlgorithm.ES256
                        : Curve.P_384.equals(ec.getCurve()) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
                JWSAlgorithm alg = pinned(jwk, implied);
                return EC.contains(alg) ? publicKey(jwk.getKeyID(), alg, ec.toECPublicKey()) : null;
            }
            if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                JWSAlgorithm alg = pinned(jwk, JWSAlgorithm.EdDSA);
                if (!JWSAlgorithm.EdDSA.equals(alg) && !"Ed25519".equals(alg.getName())) {
                    return null;
                }
                byte[] raw = okp.getX().decode();
                if (raw.length != ED25519_RAW_BYTES) {
                    return null;
                }
                byte[] spki = new byte[12 + ED25519_RAW_BYTES];
                System.arraycopy(new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00},
                        0, spki, 0, 12);
                System.arraycopy(raw, 0, spki, 12, ED25519_RAW_BYTES);
                PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                return PinnedKey.ed25519(jwk.getKeyID(), key);
            }
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static JWSAlgorithm pinned(JWK jwk, JWSAlgorithm implied) {
        return jwk.getAlgorithm() == null ? implied : JWSAlgorithm.parse(jwk.getAlgorithm().getName());
    }
}
