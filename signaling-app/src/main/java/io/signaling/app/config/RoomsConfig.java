package io.signaling.app.config;

/**
 * Rooms.
 *
 * @param maxPeers {@code rooms.max-peers}: joins beyond it are refused
 */
public record RoomsConfig(int maxPeers) {
}
