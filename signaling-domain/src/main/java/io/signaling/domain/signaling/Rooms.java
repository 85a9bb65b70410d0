package io.signaling.domain.signaling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The single-threaded membership model: the reference for the rules and their tests. Not
 * thread-safe; confine it to one thread or guard it.
 */
public final class Rooms implements Membership {

    private final Map<RoomId, LinkedHashSet<PeerId>> rooms = new LinkedHashMap<>();
    private final Map<PeerId, RoomId> roomOf = new HashMap<>();

    @Override
    public Optional<RoomId> roomOf(PeerId peer) {
        return Optional.ofNullable(roomOf.get(peer));
    }

    @Override
    public List<PeerId> members(RoomId room) {
        Set<PeerId> members = rooms.get(room);
        return members == null ? List.of() : List.copyOf(members);
    }

    @Override
    public JoinResult join(RoomId room, PeerId peer, int maxPeers) {
        RoomId current = roomOf.get(peer);
        if (current != null) {
            return new JoinResult.AlreadyInRoom(current);
        }
        LinkedHashSet<PeerId> members = rooms.get(room);
        if (members != null && members.size() >= maxPeers) {
            return new JoinResult.RoomFull(room, maxPeers);
        }
        if (members == null) {
            members = new LinkedHashSet<>();
            rooms.put(room, members);
        }
        List<PeerId> others = new ArrayList<>(members);
        members.add(peer);
        roomOf.put(peer, room);
        return new JoinResult.Joined(room, others);
    }

    @Override
    public Optional<Departure> leave(PeerId peer) {
        RoomId room = roomOf.remove(peer);
        if (room == null) {
            return Optional.empty();
        }
        LinkedHashSet<PeerId> members = rooms.get(room);
        members.remove(peer);
        if (members.isEmpty()) {
            rooms.remove(room);
        }
        return Optional.of(new Departure(room, new ArrayList<>(members)));
    }

    public int roomCount() {
        return rooms.size();
    }

    public int peerCount() {
        return roomOf.size();
    }

    /** The rooms and their members, in creation and join order. */
    public Map<RoomId, List<PeerId>> snapshot() {
        Map<RoomId, List<PeerId>> copy = new LinkedHashMap<>();
        rooms.forEach((room, members) -> copy.put(room, List.copyOf(members)));
        return copy;
    }
}
