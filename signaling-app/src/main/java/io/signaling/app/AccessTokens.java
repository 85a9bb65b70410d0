package io.signaling.app;

import io.signaling.adapter.jwt.JwtVerifiers;
import io.signaling.app.config.AuthConfig;
import io.signaling.app.config.JwtKeyConfig;
import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.log.LoggerFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The JWT verifier the {@code auth} settings describe, and the key the {@code token} command signs with. */
final class AccessTokens {

    private AccessTokens() {
    }

    /** Built from validated settings: key problems were reported (exit 2) by the config loader already. */
    static AccessTokenVerifier verifier(AuthConfig auth, LoggerFactory loggers) {
        JwtVerifiers.Builder builder = JwtVerifiers.builder()
                .audience(auth.audience())
                .issuers(auth.issuers())
                .clockSkew(auth.clockSkew())
                .loggers(loggers);
        for (JwtKeyConfig key : auth.keys()) {
            if (key.isHmac()) {
                builder.hmacKey(key.kid(), key.alg(), key.secret().reveal().getBytes(StandardCharsets.UTF_8));
            } else {
                builder.publicKeyPem(key.kid(), key.alg(), key.publicKeyPem());
            }
        }
        if (!auth.jwksUri().isEmpty()) {
            builder.jwksUri(URI.create(auth.jwksUri()));
        }
        return builder.build();
    }

    /** The first HMAC key, which {@code token} signs with. */
    static Optional<JwtKeyConfig> signingKey(AuthConfig auth) {
        return auth.keys().stream().filter(JwtKeyConfig::isHmac).findFirst();
    }
}
