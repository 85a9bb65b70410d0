package io.signaling.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Access control.
 *
 * @param mode      {@code auth.mode}
 * @param audience  {@code auth.jwt.audience}: {@code aud} must contain it
 * @param issuers   {@code auth.jwt.issuers}: accepted {@code iss} values; empty accepts any
 * @param clockSkew {@code auth.jwt.clock-skew}
 * @param keys      {@code auth.jwt.keys}, by kid, each pinning its algorithm
 * @param jwksUri   {@code auth.jwt.jwks-uri}; empty for none
 */
public record AuthConfig(AuthMode mode, String audience, List<String> issuers, Duration clockSkew,
                         List<JwtKeyConfig> keys, String jwksUri) {

    public AuthConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(audience, "audience");
        issuers = List.copyOf(issuers);
        Objects.requireNonNull(clockSkew, "clockSkew");
        keys = List.copyOf(keys);
        Objects.requireNonNull(jwksUri, "jwksUri");
    }
}
