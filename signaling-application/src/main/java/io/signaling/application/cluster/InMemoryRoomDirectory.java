package io.signaling.application.cluster;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.MemberInfo;
import io.signaling.ports.cluster.RoomState;
import io.signaling.ports.cluster.RoomSummary;
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

    private final Map<RoomId, LinkedHashMap<PeerId, NodeId>> rooms = new HashMap<>();
    private final Map<NodeId, Set<RoomId>> roomsOfNode = new HashMap<>();
    private final Map<RoomId, Long> createdAt = new HashMap<>();
    private final Map<PeerId, MemberInfo> infos = new HashMap<>();
    private final java.util.function.LongSupplier wallClock;

    InMemoryRoomDirectory() {
        this(System::currentTimeMillis);
    }

    InMemoryRoomDirectory(java.util.function.LongSupplier wallClock) {
        this.wallClock = wallClock;
    }

    @Override
    public synchronized Admission join(RoomId room, Member member, int maxPeers, MemberInfo info) {
        roomsOfNode.computeIfAbsent(member.node(), n -> new LinkedHashSet<>()).add(room);
        LinkedHashMap<PeerId, NodeId> members = rooms.computeIfAbsent(room, r -> new LinkedHashMap<>());
        if (members.containsKey(member.peer())) {
            return new Admission.AlreadyMember();
        }
        if (members.size() >= maxPeers) {
            return new Admission.Full(maxPeers);
        }
        List<Member> before = list(members);
        members.put(member.peer(), member.node());
        // The identity is kept with the join details (one place); a caller that gave it only on the member still has it stored.
        infos.put(member.peer(), info.identity() == null && member.identity() != null
                ? new MemberInfo(member.identity(), info.joinedAtMillis(), info.protocol()) : info);
        if (before.isEmpty()) {
            createdAt.put(room, wallClock.getAsLong());
        }
        return new Admission.Admitted(before);
    }

    @Override
    public synchronized Optional<RoomState> room(RoomId room) {
        LinkedHashMap<PeerId, NodeId> members = rooms.get(room);
        if (members == null || members.isEmpty()) {
            return Optional.empty();
        }
        List<RoomState.Entry> entries = new ArrayList<>(members.size());
        members.forEach((peer, node) -> entries.add(new RoomState.Entry(member(peer, node),
                infos.getOrDefault(peer, MemberInfo.unknown()))));
        return Optional.of(new RoomState(room, createdAt.getOrDefault(room, 0L), entries));
    }

    @Override
    public synchronized List<RoomSummary> rooms(RoomId after, int limit) {
        return rooms.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .filter(e -> after == null || e.getKey().value().compareTo(after.value()) > 0)
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(RoomId::value)))
                .limit(limit)
                .map(e -> new RoomSummary(e.getKey(), e.getValue().size(), createdAt.getOrDefault(e.getKey(), 0L)))
                .toList();
    }

    @Override
    public synchronized List<Member> close(RoomId room) {
        LinkedHashMap<PeerId, NodeId> members = rooms.remove(room);
        createdAt.remove(room);
        if (members == null) {
            return List.of();
        }
        List<Member> closed = list(members);
        members.keySet().forEach(infos::remove);
        return closed;
    }

    @Override
    public synchronized Optional<List<Member>> leave(RoomId room, PeerId peer) {
        LinkedHashMap<PeerId, NodeId> members = rooms.get(room);
        if (members == null || members.remove(peer) == null) {
            return Optional.empty();
        }
        infos.remove(peer);
        List<Member> remaining = list(members);
        removeIfEmpty(room, members);
        return Optional.of(remaining);
    }

    @Override
    public synchronized Optional<List<Member>> move(RoomId room, PeerId peer, NodeId from, NodeId to) {
        roomsOfNode.computeIfAbsent(to, n -> new LinkedHashSet<>()).add(room);
        LinkedHashMap<PeerId, NodeId> members = rooms.get(room);
        if (members == null || !from.equals(members.get(peer))) {
            return Optional.empty();
        }
        // put on a present key keeps its place in the join order.
        members.put(peer, to);
        MemberInfo info = infos.get(peer);
        if (info != null) {
            infos.put(peer, info.withSuspended(false));
        }
        return Optional.of(list(members));
    }

    @Override
    public synchronized void suspended(RoomId room, PeerId peer, NodeId node, boolean suspended) {
        LinkedHashMap<PeerId, NodeId> members = rooms.get(room);
        MemberInfo info = infos.get(peer);
        if (members != null && node.equals(members.get(peer)) && info != null) {
            infos.put(peer, info.withSuspended(suspended));
        }
    }

    @Override
    public synchronized List<Member> members(RoomId room) {
        LinkedHashMap<PeerId, NodeId> members = rooms.get(room);
        return members == null ? List.of() : list(members);
    }

    @Override
    public synchronized Eviction evict(RoomId room, NodeId node) {
        LinkedHashMap<PeerId, NodeId> members = rooms.get(room);
        if (members == null) {
            return new Eviction(List.of(), List.of());
        }
        List<PeerId> removed = new ArrayList<>();
        members.entrySet().removeIf(e -> {
            if (e.getValue().equals(node)) {
                removed.add(e.getKey());
                infos.remove(e.getKey());
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
        LinkedHashMap<PeerId, NodeId> members = rooms.computeIfAbsent(room, r -> new LinkedHashMap<>());
        createdAt.putIfAbsent(room, wallClock.getAsLong());
        for (Member member : restored) {
            roomsOfNode.computeIfAbsent(member.node(), n -> new LinkedHashSet<>()).add(room);
            if (members.putIfAbsent(member.peer(), member.node()) == null) {
                infos.putIfAbsent(member.peer(), new MemberInfo(member.identity(), 0L, null));
            }
        }
        removeIfEmpty(room, members);
    }

    synchronized void wipe() {
        rooms.clear();
        createdAt.clear();
        infos.clear();
        roomsOfNode.clear();
    }

    private void removeIfEmpty(RoomId room, Map<PeerId, NodeId> members) {
        if (members.isEmpty()) {
            rooms.remove(room);
            createdAt.remove(room);
        }
    }

    private List<Member> list(Map<PeerId, NodeId> members) {
        List<Member> list = new ArrayList<>(members.size());
        members.forEach((peer, node) -> list.add(member(peer, node)));
        return list;
    }

    /** A member with the identity stored in its join details. */
    private Member member(PeerId peer, NodeId node) {
        MemberInfo info = infos.get(peer);
        return new Member(peer, node, info == null ? null : info.identity());
    }
}
