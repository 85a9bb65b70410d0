package io.signaling.domain.signaling;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is in which room: the state {@link SignalingRules} reads and changes. A peer is in at most
 * one room; members are kept in the order they joined; a room with no member does not exist.
 *
 * <p>{@link Rooms} is the single-threaded model; the application's room registry is the concurrent
 * one. Each operation is atomic for the room it touches: a join checks the room's capacity and adds
 * the peer in one step.
 */
public interface Membership {

    Optional<RoomId> roomOf(PeerId peer);

    /** The members of {@code room} in join order; empty when the room does not exist. */
    List<PeerId> members(RoomId room);

    /** Adds {@code peer} to {@code room} unless it is in a room already or the room holds {@code maxPeers}. */
    JoinResult join(RoomId room, PeerId peer, int maxPeers);

    /** Removes {@code peer} from its room; empty when it was in none. */
    Optional<Departure> leave(PeerId peer);

    /** The outcome of {@link #join}. */
    sealed interface JoinResult permits JoinResult.Joined, JoinResult.AlreadyInRoom, JoinResult.RoomFull {

        /** @param others the members that were there before, in join order */
        record Joined(RoomId room, List<PeerId> others) implements JoinResult {
            public Joined {
                Objects.requireNonNull(room, "room");
                others = List.copyOf(others);
            }
        }

        record AlreadyInRoom(RoomId current) implements JoinResult {
            public AlreadyInRoom {
                Objects.requireNonNull(current, "current");
            }
        }

        record RoomFull(RoomId room, int maxPeers) implements JoinResult {
            public RoomFull {
                Objects.requireNonNull(room, "room");
            }
        }
    }

    /** @param remaining the members left behind, in join order */
    record Departure(RoomId room, List<PeerId> remaining) {
        public Departure {
            Objects.requireNonNull(room, "room");
            remaining = List.copyOf(remaining);
        }
    }
}
