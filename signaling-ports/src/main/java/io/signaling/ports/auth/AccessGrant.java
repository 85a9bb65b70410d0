package io.signaling.ports.auth;

import io.signaling.domain.signaling.RoomId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a verified access token allows: one identity, one room, until a time.
 *
 * @param identity  the caller's identity (the token's subject), 1 to 128 characters
 * @param room      the one room this token may join
 * @param expiresAt when the token stops being accepted for new connections (a session that is
 *                  open then is not cut)
 */
public record AccessGrant(String identity, RoomId room, Instant expiresAt) {

    public static final int MAX_IDENTITY_LENGTH = 128;

    public AccessGrant {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (identity.isEmpty() || identity.length() > MAX_IDENTITY_LENGTH) {
            throw new IllegalArgumentException("identity must be 1 to " + MAX_IDENTITY_LENGTH + " characters");
        }
    }

    /** Whether this grant allows joining {@code requested}. */
    public boolean allows(RoomId requested) {
        return room.equals(requested);
    }
}
