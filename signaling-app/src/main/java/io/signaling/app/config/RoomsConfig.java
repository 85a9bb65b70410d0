package io.signaling.app.config;

/**
 * Rooms.
 *
 * @param maxPeers  {@code rooms.max-peers}: joins beyond it are refused
 * @param apiPublic {@code rooms.api-public}: the room management API on the public listener too,
 *                  behind admin tokens (it is always on the admin listener)
 */
public record RoomsConfig(int maxPeers, boolean apiPublic) {

    public RoomsConfig(int maxPeers) {
        this(maxPeers, false);
    }
}
