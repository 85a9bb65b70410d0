package io.signaling.adapter.jwt;

import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.auth.AccessTokenVerifierContract;
import java.time.Clock;

/** The port's contract, with an HS256 key named by kid. */
class NimbusAccessTokenVerifierTest extends AccessTokenVerifierContract {

    @Override
    protected AccessTokenVerifier newVerifier(Clock clock) {
        return JwtVerifiers.builder().audience(AUDIENCE).clockSkew(SKEW).clock(clock)
                .hmacKey("k1", "HS256", TestTokens.SECRET_1).build();
    }

    @Override
    protected String issue(TokenSpec spec) {
        return TestTokens.hs256("k1", TestTokens.SECRET_1, TestTokens.claims(spec));
    }
}
