package io.signaling.ports.auth;

/**
 * Verifies the access token a client presents into an {@link AccessGrant}.
 *
 * <p>Direction: outbound (the signaling use case calls it at each WebSocket upgrade).
 * Guarantees: a token longer than {@link #MAX_TOKEN_CHARS} is refused with {@link TokenCheck#SIZE}
 * before any parsing; a grant is returned only for a token signed by a configured key with that
 * key's algorithm, unexpired and addressed to this server; every refusal is a
 * {@link TokenRejectedException} naming the failed {@link TokenCheck}, whose message never
 * contains the token. A runtime exception means a bug, not a bad token. Verification does not
 * block on I/O (keys fetched from elsewhere are fetched in the background), so it may run on an
 * I/O thread.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
@FunctionalInterface
public interface AccessTokenVerifier {

    /** The largest token accepted, in characters (tokens are ASCII): 8 KiB. */
    int MAX_TOKEN_CHARS = 8 * 1024;

    /**
     * @param token the token as presented (without any {@code Bearer } prefix); may be {@code null}
     * @return the grant the token carries
     * @throws TokenRejectedException when the token is missing, malformed, unsigned, wrongly
     *                                signed, expired, not yet valid or wrongly addressed
     */
    AccessGrant verify(String token) throws TokenRejectedException;

    /**
     * Verifies an admin token for the room management API: the same checks as {@link #verify}
     * (size, format, key, algorithm, signature, time, audience, issuer, {@code sub}), then the
     * {@code scope} claim must contain {@value AdminGrant#ROOMS_ADMIN_SCOPE}, else
     * {@link TokenCheck#SCOPE} (a join token is valid but grants no administration). The default
     * refuses every token: a verifier that knows no admin tokens grants no administration.
     */
    default AdminGrant verifyAdmin(String token) throws TokenRejectedException {
        throw new TokenRejectedException(TokenCheck.SCOPE, "this server's token verifier grants no room administration");
    }
}
