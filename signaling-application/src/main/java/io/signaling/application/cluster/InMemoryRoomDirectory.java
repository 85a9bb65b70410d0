package io.signaling.application.cluster;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.RoomDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Membership of every node of a cluster that lives in one process (tests, demos). One monitor
 * guards it all: every method is atomic, which is more than the port asks.
 */
final class InMemoryRoomDirectory implements RoomDirectory {

    private final Map<RoomId, LinkedHashMap<PeerId, Member>> rooms = new HashMap<>();
    private final Map<NodeId, Set<RoomId>> roomsOfNode = new HashMap<>();

    @Override
    public synchronized Admission join(RoomId room, Member member, int maxPeers) {
        roomsOfNode.computeIfAbsent(member.node(), n -> new LinkedHashSet<>()).add(room);
        LinkedHashMap<PeerId, Member> members = rooms.computeIfAbsent(room, r -> new LinkedHashMap<>());
        if (members.containsKey(member.peer())) {
            return new Admission.AlreadyMember();
        }
        if (members.size() >= maxPeers) {
            return new Admission.Full(maxPeers);
        }
        List<Member> before = list(members);
        members.put(member.peer(), member);
        return new Admission.Admitted(before);
    }

    @Override
    public synchronized Optional<List<Member>> leave(RoomId room, PeerId peer) {
        LinkedHashMap<PeerId, Member> members = rooms.get(room);
        if (members == null || members.remove(peer) == null) {
            return Optional.empty();
        }
        List<Member> remaining = list(members);
        removeIfEmpty(room, members);
        return Optional.of(remaining);
    }

    @Override
    public synchronized List<Member> members(RoomId room) {
        LinkedHashMap<PeerId, Member> members = rooms.get(room);
        return members == null ? List.of() : list(members);
    }

    @Override
    public synchronized Eviction evict(RoomId room, NodeId node) {
        LinkedHashMap<PeerId, Member> members = rooms.get(room);
        if (members == null) {
            return new Eviction(List.of(), List.of());
        }
        List<PeerId> removed = new ArrayList<>();
        members.entrySet().removeIf(e -> {
            if (e.getValue().node().equals(node)) {
                removed.add(e.getKey());
                return true;
            }
            return false;
        });
        List<Member> remaining = list(members);
        removeIfEmpty(room, members);
        return new Eviction(removed, remaining);
    }

    @Override
    public synchronized Set<RoomId> roomsOf(NodeId node) {
        return Set.copyOf(roomsOfNode.getOrDefault(node, Set.of()));
    }

    @Override
    public synchronized void release(NodeId node, RoomId room) {
        Set<RoomId> set = roomsOfNode.get(node);
        if (set != null) {
            set.remove(room);
        }
    }

    @Override
    public synchronized void forget(NodeId node) {
        roomsOfNode.remove(node);
    }

    @Override
    public synchronized void restore(RoomId room, List<Member> restored) {
        LinkedHashMap<PeerId, Member> members = rooms.computeIfAbsent(room, r -> new LinkedHashMap<>());
        for (Member member : restored) {
            roomsOfNode.computeIfAbsent(member.node(), n -> new LinkedHashSet<>()).add(room);
            members.putIfAbsent(member.peer(), member);
        }
        removeIfEmpty(room, members);
    }

    synchronized void wipe() {
        rooms.clear();
        roomsOfNode.clear();
    }

    private void removeIfEmpty(RoomId room, Map<PeerId, Member> members) {
        if (members.isEmpty()) {
            rooms.remove(room);
        }
    }

    private static List<Member> list(Map<PeerId, Member> members) {
        return new ArrayList<>(members.values());
    }
}
