package io.signaling.ports.auth;

/**
 * The check an access token failed, with the name used in a refused upgrade's problem body and in
 * metric tags (never the token itself).
 */
public enum TokenCheck {
    /** No token was presented. */
    MISSING("missing"),
    /** The token is larger than {@link AccessTokenVerifier#MAX_TOKEN_CHARS}; it was not parsed. */
    SIZE("size"),
    /** Not a well-formed signed token (wrong number of parts, bad encoding, bad JSON, too deeply nested). */
    FORMAT("format"),
    /** Unsigned ({@code alg: none}) or signed with an algorithm other than the one its key is pinned to. */
    ALGORITHM("algorithm"),
    /** No configured key matches the token's key id (or, without a key id, no single key of its algorithm family). */
    KEY("key"),
    /** The signature does not verify with the named key. */
    SIGNATURE("signature"),
    /** Expired ({@code exp} plus the allowed clock skew is past). */
    EXPIRED("expired"),
    /** Not yet valid ({@code nbf} or {@code iat} later than now plus the allowed clock skew). */
    NOT_YET_VALID("not-yet-valid"),
    /** The audience does not contain the configured one. */
    AUDIENCE("audience"),
    /** The issuer is not one of the configured ones. */
    ISSUER("issuer"),
    /** A required claim is missing or malformed ({@code sub}, {@code room}, {@code exp}). */
    CLAIMS("claims"),
    /**
     * A valid token that does not grant what it was presented for: a join token at the room
     * management API (no {@code rooms:admin} scope), or an admin token at a WebSocket upgrade.
     */
    SCOPE("scope");

    private final String wire;

    TokenCheck(String wire) {
        this.wire = wire;
    }

    /** The stable name: in problem bodies, logs and metric tags. */
    public String wire() {
        return wire;
    }
}
