package io.signaling.ports.signaling;

import io.signaling.domain.signaling.Membership;

/**
 * The store of room membership behind signaling: who is in which room.
 *
 * <p>Direction: outbound, implemented in memory for one node (the application's default) or by a
 * shared store across nodes. Thread-safety: safe under concurrent joins, leaves and lookups from
 * thousands of connections; each operation is atomic for the room it touches (a join checks the
 * capacity and adds the peer in one step, so a room never exceeds its maximum), and lookups used
 * on the relay path ({@link #roomOf}) take no global lock. A peer is in at most one room.
 */
public interface RoomRegistry extends Membership {

    /** The rooms with at least one member. */
    int roomCount();

    /** The peers in a room. */
    int peerCount();
}
