package io.signaling.application.signaling;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.signaling.RoomRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Membership of one node in memory. Each room is its own monitor, so joins and leaves of different
 * rooms never contend; {@link #roomOf} is a lock-free map read, which is all the relay path needs.
 * An emptied room is removed and marked dead under its monitor, and a join that raced with the
 * removal retries on a fresh room, so no peer is ever added to a room no longer in the map.
 */
final class InMemoryRoomRegistry implements RoomRegistry {

    private static final class Room {
        final LinkedHashSet<PeerId> members = new LinkedHashSet<>();
        boolean dead;
    }

    private final ConcurrentMap<RoomId, Room> rooms = new ConcurrentHashMap<>();
    private final ConcurrentMap<PeerId, RoomId> roomOf = new ConcurrentHashMap<>();

    @Override
    public Optional<RoomId> roomOf(PeerId peer) {
        return Optional.ofNullable(roomOf.get(peer));
    }

    @Override
    public List<PeerId> members(RoomId room) {
        Room r = rooms.get(room);
        if (r == null) {
            return List.of();
        }
        synchronized (r) {
            return List.copyOf(r.members);
        }
    }

    @Override
    public JoinResult join(RoomId roomId, PeerId peer, int maxPeers) {
        while (true) {
            RoomId current = roomOf.get(peer);
            if (current != null) {
                return new JoinResult.AlreadyInRoom(current);
            }
            Room room = rooms.computeIfAbsent(roomId, id -> new Room());
            synchronized (room) {
                if (room.dead) {
                    continue;
                }
                if (room.members.size() >= maxPeers) {
                    return new JoinResult.RoomFull(roomId, maxPeers);
                }
                current = roomOf.putIfAbsent(peer, roomId);
                if (current != null) {
                    removeIfEmpty(roomId, room);
                    return new JoinResult.AlreadyInRoom(current);
                }
                List<PeerId> others = new ArrayList<>(room.members);
                room.members.add(peer);
                return new JoinResult.Joined(roomId, others);
            }
        }
    }

    @Override
    public Optional<Departure> leave(PeerId peer) {
        RoomId roomId = roomOf.get(peer);
        if (roomId == null) {
            return Optional.empty();
        }
        Room room = rooms.get(roomId);
        if (room == null) {
            return Optional.empty();
        }
        synchronized (room) {
            // Another leave of the same peer may have won the race.
            if (!room.members.remove(peer)) {
                return Optional.empty();
            }
            roomOf.remove(peer, roomId);
            List<PeerId> remaining = List.copyOf(room.members);
            removeIfEmpty(roomId, room);
            return Optional.of(new Departure(roomId, remaining));
        }
    }

    /** Call holding the room's monitor. */
    private void removeIfEmpty(RoomId roomId, Room room) {
        if (room.members.isEmpty()) {
            room.dead = true;
            rooms.remove(roomId, room);
        }
    }

    @Override
    public int roomCount() {
        return rooms.size();
    }

    @Override
    public int peerCount() {
        return roomOf.size();
    }
}
