package io.signaling.app.config;

import java.util.Objects;

/**
 * One entry of {@code auth.jwt.keys}, its material already read (files at load time, so a missing
 * file is a configuration problem, not a failed start).
 *
 * @param kid           the key id tokens name in their header
 * @param alg           the one algorithm this key verifies (HS256/384/512, RS256/384/512, ES256/384/512, EdDSA)
 * @param secret        the HMAC secret ({@code secret} or the content of {@code secret-file}); empty for a public key
 * @param source        where the material came from, for messages: {@code secret}, or the file's path
 * @param publicKeyPem  the PEM text of {@code public-key-file}; empty for an HMAC key
 */
public record JwtKeyConfig(String kid, String alg, Secret secret, String source, String publicKeyPem) {

    public JwtKeyConfig {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(alg, "alg");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
    }

    public boolean isHmac() {
        return alg.startsWith("HS");
    }
}
