package io.signaling.adapter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * One verification key with the one algorithm it may verify. EdDSA is checked with the JDK's
 * Ed25519 (Nimbus's own EdDSA verifier needs Tink); everything else with Nimbus's verifiers.
 */
final class PinnedKey {

    private final String kid;
    private final JWSAlgorithm algorithm;
    private final JWSVerifier nimbus;
    private final PublicKey edKey;

    private PinnedKey(String kid, JWSAlgorithm algorithm, JWSVerifier nimbus, PublicKey edKey) {
        this.kid = kid;
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.nimbus = nimbus;
        this.edKey = edKey;
    }

    static PinnedKey nimbus(String kid, JWSAlgorithm algorithm, JWSVerifier verifier) {
        return new PinnedKey(kid, algorithm, Objects.requireNonNull(verifier, "verifier"), null);
    }

    static PinnedKey ed25519(String kid, PublicKey key) {
        return new PinnedKey(kid, JWSAlgorithm.EdDSA, null, Objects.requireNonNull(key, "key"));
    }

    /** The key id; {@code null} for a key configured without one. */
    String kid() {
        return kid;
    }

    JWSAlgorithm algorithm() {
        return algorithm;
    }

    /** Whether {@code signature} over {@code signingInput} verifies with this key (the header's alg already matched). */
    boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
        try {
            if (edKey != null) {
                Signature ed = Signature.getInstance("Ed25519");
                ed.initVerify(edKey);
                ed.update(signingInput);
                return ed.verify(signature.decode());
            }
            return nimbus.verify(header, signingInput, signature);
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
