package io.signaling.ports.auth;

import java.util.Objects;

/**
 * An access token was refused. The message says what was wrong in words a client developer can
 * act on and never contains the token or any part of it (not even a claim value taken from it),
 * so it may be logged and sent back in a problem body.
 */
public final class TokenRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final TokenCheck check;

    public TokenRejectedException(TokenCheck check, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.check = Objects.requireNonNull(check, "check");
    }

    /** Which check failed. */
    public TokenCheck check() {
        return check;
    }
}
