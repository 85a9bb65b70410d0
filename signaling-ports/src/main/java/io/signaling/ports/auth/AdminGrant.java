package io.signaling.ports.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified admin token allows: the room management API, for one identity, until a time.
 * An admin token is distinct from a join token: it carries the {@value #ROOMS_ADMIN_SCOPE} scope
 * and no room; a join token presented for administration is refused with {@link TokenCheck#SCOPE}.
 *
 * @param identity  the operator's identity (the token's subject), logged with each action
 * @param expiresAt when the token stops being accepted
 */
public record AdminGrant(String identity, Instant expiresAt) {

    /** The {@code scope} value (one of its space-separated entries) that grants room administration. */
    public static final String ROOMS_ADMIN_SCOPE = "rooms:admin";

    public AdminGrant {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (identity.isEmpty() || identity.length() > AccessGrant.MAX_IDENTITY_LENGTH) {
            throw new IllegalArgumentException("identity must be 1 to " + AccessGrant.MAX_IDENTITY_LENGTH + " characters");
        }
    }
}
