package io.signaling.adapter.jwt;

import static io.signaling.adapter.jwt.TestTokens.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.auth.AccessTokenVerifierContract.TokenSpec;
import io.signaling.ports.auth.TokenCheck;
import io.signaling.ports.auth.TokenRejectedException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JWKS served by a real local HTTP server: caching, outage, new kids, rotation, fetch rate. */
class JwksKeysTest {

    private HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private KeyPair k1;
    private KeyPair k2;

    @BeforeEach
    void serve() throws Exception {
        k1 = TestTokens.rsa();
        k2 = TestTokens.rsa();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    private static String jwks(String kid1, KeyPair pair1, String kid2, KeyPair pair2) {
        RSAKey first = new RSAKey.Builder((RSAPublicKey) pair1.getPublic()).keyID(kid1).build();
        if (kid2 == null) {
            return new JWKSet(first).toString();
        }
        RSAKey second = new RSAKey.Builder((RSAPublicKey) pair2.getPublic()).keyID(kid2)
                .algorithm(com.nimbusds.jose.JWSAlgorithm.RS256).build();
        return new JWKSet(List.of(first, second)).toString();
    }

    private static JWTClaimsSet validNow() {
        return claims(TokenSpec.valid().expiresAt(Instant.now().plusSeconds(600)));
    }

    private static TokenCheck refusal(AccessTokenVerifier verifier, String token) {
        TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class, () -> verifier.verify(token));
        assertThat(e).isNotNull();
        return e.check();
    }

    @Test
    void cachedKeysSurviveAnOutageAndNewKidsFailClosedUntilTheSetIsBack() throws Exception {
        body.set(jwks("j1", k1, null, null));
        AccessTokenVerifier verifier = JwtVerifiers.builder().jwksUri(uri()).jwksMinRefreshGap(Duration.ZERO).build();
        String j1Token = TestTokens.rs256("j1", k1.getPrivate(), validNow());
        assertThat(verifier.verify(j1Token).identity()).isEqualTo("alice");

        status.set(503);
        String j2Token = TestTokens.rs256("j2", k2.getPrivate(), validNow());
        int before = requests.get();
        assertThat(refusal(verifier, j2Token)).isEqualTo(TokenCheck.KEY);
        await().atMost(Duration.ofSeconds(30)).until(() -> requests.get() > before);
        assertThat(verifier.verify(j1Token).identity()).as("cached key after a failed refresh").isEqualTo("alice");
        server.stop(0); // the key server is gone altogether
        assertThat(refusal(verifier, j2Token)).isEqualTo(TokenCheck.KEY);
        assertThat(verifier.verify(j1Token).identity()).isEqualTo("alice");
    }

    @Test
    void aNewKeyIsPickedUpOnceTheSetPublishesIt() throws Exception {
        body.set(jwks("j1", k1, null, null));
        AccessTokenVerifier verifier = JwtVerifiers.builder().jwksUri(uri()).jwksMinRefreshGap(Duration.ZERO).build();
        String j2Token = TestTokens.rs256("j2", k2.getPrivate(), validNow());
        assertThat(refusal(verifier, j2Token)).isEqualTo(TokenCheck.KEY);
        body.set(jwks("j1", k1, "j2", k2)); // rotation: the new key is published next to the old
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                return verifier.verify(j2Token).identity().equals("alice");
            } catch (TokenRejectedException e) {
                return false;
            }
        });
        assertThat(verifier.verify(TestTokens.rs256("j1", k1.getPrivate(), validNow())).identity()).isEqualTo("alice");
        // A token naming j2 but signed by j1's key still fails its signature.
        assertThat(refusal(verifier, TestTokens.rs256("j2", k1.getPrivate(), validNow()))).isEqualTo(TokenCheck.SIGNATURE);
    }

    @Test
    void madeUpKidsDoNotTurnIntoAFetchEach() throws Exception {
        body.set(jwks("j1", k1, null, null));
        AccessTokenVerifier verifier = JwtVerifiers.builder().jwksUri(uri()).jwksMinRefreshGap(Duration.ofHours(1))
                .build();
        int afterStart = requests.get();
        assertThat(afterStart).isEqualTo(1);
        for (int i = 0; i < 50; i++) {
            assertThat(refusal(verifier, TestTokens.rs256("made-up-" + i, k2.getPrivate(), validNow())))
                    .isEqualTo(TokenCheck.KEY);
        }
        assertThat(requests.get()).isEqualTo(afterStart);
    }
}
