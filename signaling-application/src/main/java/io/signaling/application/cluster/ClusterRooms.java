package io.signaling.application.cluster;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.Envelope;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.MemberInfo;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.RoomDirectory;
import io.signaling.ports.signaling.RoomRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Membership as one node of a cluster sees it. The {@link RoomDirectory} decides (joins and leaves
 * go through it, atomically); this node keeps a view of each room where it has a member of its
 * own, with every member's node, so relays are checked and routed without asking the store. A view
 * starts from the directory's answer to a local join and follows the changes the other nodes
 * announce ({@link #apply}); it is dropped once its last local member left ({@link #settle}).
 *
 * <p>Thread-safety: a full {@link RoomRegistry}. A change of a room (the directory's call and the
 * view's update after it) runs under that room's lock stripe here, so views follow the directory's
 * order; the signaling service holds its own room lock around it as well (always taken first), to
 * keep deliveries in that order too. The maps are concurrent for lookups, and each view is its own
 * monitor for readers that take no lock (metrics, the keeper's restore).
 *
 * <p>A leave never fails toward the client: when the directory cannot be reached the peer leaves
 * this node's view at once and the directory's removal is retried by the keeper ({@link #repairs}).
 * A join that failed is retried as a leave too, since it may have landed.
 */
final class ClusterRooms implements RoomRegistry {

    private static final class View {
        final LinkedHashMap<PeerId, Member> members = new LinkedHashMap<>();
    }

    record Repair(RoomId room, PeerId peer) {
    }

    private final RoomDirectory directory;
    private final Supplier<NodeId> self;
    private final ConcurrentMap<RoomId, View> views = new ConcurrentHashMap<>();
    private final ConcurrentMap<PeerId, RoomId> roomOfPeer = new ConcurrentHashMap<>();
    private final ConcurrentMap<PeerId, RoomId> localPeers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Repair> repairs = new ConcurrentLinkedQueue<>();
    private final Object[] locks = new Object[256];

    private final Function<PeerId, MemberInfo> infoOf;

    ClusterRooms(RoomDirectory directory, Supplier<NodeId> self) {
        this(directory, self, peer -> MemberInfo.unknown());
    }

    /** @param infoOf what a local peer tells at its join (its identity among it), stored with its membership */
    ClusterRooms(RoomDirectory directory, Supplier<NodeId> self, Function<PeerId, MemberInfo> infoOf) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.self = Objects.requireNonNull(self, "self");
        this.infoOf = Objects.requireNonNull(infoOf, "infoOf");
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    private Object lockOf(RoomId room) {
        return locks[(room.hashCode() & 0x7fffffff) % locks.length];
    }

    @Override
    public Optional<RoomId> roomOf(PeerId peer) {
        return Optional.ofNullable(roomOfPeer.get(peer));
    }

    @Override
    public List<PeerId> members(RoomId room) {
        View view = views.get(room);
        if (view == null) {
            return List.of();
        }
        synchronized (view) {
            return List.copyOf(view.members.keySet());
        }
    }

    @Override
    public JoinResult join(RoomId room, PeerId peer, int maxPeers) {
        RoomId current = localPeers.get(peer);
        if (current != null) {
            return new JoinResult.AlreadyInRoom(current);
        }
        synchronized (lockOf(room)) {
            return joinLocked(room, peer, maxPeers);
        }
    }

    private JoinResult joinLocked(RoomId room, PeerId peer, int maxPeers) {
        if (localPeers.containsKey(peer)) {
            return new JoinResult.AlreadyInRoom(localPeers.get(peer));
        }
        RoomDirectory.Admission admission;
        MemberInfo info = infoOf.apply(peer);
        Member joining = new Member(peer, self.get(), info.identity());
        try {
            admission = directory.join(room, joining, maxPeers, info);
        } catch (ClusterUnavailableException e) {
            repairs.add(new Repair(room, peer));
            throw e;
        }
        if (admission instanceof RoomDirectory.Admission.Full) {
            return new JoinResult.RoomFull(room, maxPeers);
        }
        if (admission instanceof RoomDirectory.Admission.AlreadyMember) {
            return new JoinResult.AlreadyInRoom(room);
        }
        List<Member> before = ((RoomDirectory.Admission.Admitted) admission).before();
        List<Member> now = new ArrayList<>(before);
        now.add(joining);
        localPeers.put(peer, room);
        replace(room, now);
        List<PeerId> others = new ArrayList<>(before.size());
        before.forEach(m -> others.add(m.peer()));
        return new JoinResult.Joined(room, others);
    }

    @Override
    public Optional<Departure> leave(PeerId peer) {
        RoomId room = localPeers.get(peer);
        if (room == null) {
            return Optional.empty();
        }
        synchronized (lockOf(room)) {
            if (!room.equals(localPeers.get(peer))) {
                // Another leave of the same peer won the race.
                return Optional.empty();
            }
            return Optional.of(leaveLocked(room, peer));
        }
    }

    private Departure leaveLocked(RoomId room, PeerId peer) {
        List<Member> remaining;
        try {
            remaining = directory.leave(room, peer).orElse(null);
        } catch (ClusterUnavailableException e) {
            repairs.add(new Repair(room, peer));
            remaining = null;
        }
        localPeers.remove(peer, room);
        if (remaining == null) {
            // The directory did not answer, or had lost the peer already: this node's view decides.
            remaining = withoutPeer(room, peer);
        }
        replace(room, remaining);
        roomOfPeer.remove(peer, room);
        List<PeerId> left = new ArrayList<>(remaining.size());
        remaining.forEach(m -> left.add(m.peer()));
        return new Departure(room, left);
    }

    private List<Member> withoutPeer(RoomId room, PeerId peer) {
        View view = views.get(room);
        List<Member> members = new ArrayList<>();
        if (view != null) {
            synchronized (view) {
                view.members.forEach((p, m) -> {
                    if (!p.equals(peer)) {
                        members.add(m);
                    }
                });
            }
        }
        return members;
    }

    /** Sets the room's view to the directory's word; call under the room's lock. */
    private void replace(RoomId room, List<Member> members) {
        View view = views.computeIfAbsent(room, r -> new View());
        synchronized (view) {
            // Only those gone are unmapped: a peer that stays must never look room-less to a reader.
            java.util.Set<PeerId> kept = new java.util.HashSet<>();
            members.forEach(m -> kept.add(m.peer()));
            for (PeerId old : view.members.keySet()) {
                if (!kept.contains(old)) {
                    roomOfPeer.remove(old, room);
                }
            }
            view.members.clear();
            for (Member member : members) {
                view.members.put(member.peer(), member);
                roomOfPeer.put(member.peer(), room);
            }
        }
    }

    /** Applies a change another node announced; call under the room's lock. */
    void apply(RoomId room, Envelope.Change change) {
        if (change == null) {
            return;
        }
        synchronized (lockOf(room)) {
            View view = views.get(room);
            if (view != null) {
                applyLocked(room, view, change);
            }
        }
    }

    private void applyLocked(RoomId room, View view, Envelope.Change change) {
        synchronized (view) {
            if (change.joined()) {
                view.members.put(change.peer(), new Member(change.peer(), change.node()));
                roomOfPeer.put(change.peer(), room);
            } else {
                view.members.remove(change.peer());
                roomOfPeer.remove(change.peer(), room);
            }
        }
    }

    /**
     * (resume on another node) A local member of {@code room} moves to node {@code to}: the
     * directory re-homes it, and this node's view keeps it as a member of {@code to}. Call under the
     * room's lock.
     *
     * @return the members after the move; empty when the directory did not have it here (nothing changed)
     */
    Optional<List<Member>> moveOut(RoomId room, PeerId peer, NodeId to) {
        synchronized (lockOf(room)) {
            Optional<List<Member>> members = directory.move(room, peer, self.get(), to);
            if (members.isPresent()) {
                localPeers.remove(peer, room);
                rehome(room, peer, to);
            }
            return members;
        }
    }

    /**
     * (resume on another node) A member of {@code room} moved here: it becomes a local peer. A view
     * this node has already is kept (it may know of changes newer than {@code members}, the
     * directory's word at the move); otherwise the view starts from {@code members}. Call under the
     * room's lock.
     */
    void moveIn(RoomId room, PeerId peer, List<Member> members) {
        synchronized (lockOf(room)) {
            localPeers.put(peer, room);
            View view = views.get(room);
            if (view == null) {
                replace(room, members);
            }
            rehome(room, peer, self.get());
        }
    }

    /** Another node announced that {@code peer} now lives on {@code node}; call under the room's lock. */
    void moved(RoomId room, PeerId peer, NodeId node) {
        synchronized (lockOf(room)) {
            if (views.containsKey(room)) {
                rehome(room, peer, node);
            }
        }
    }

    private void rehome(RoomId room, PeerId peer, NodeId node) {
        View view = views.computeIfAbsent(room, r -> new View());
        synchronized (view) {
            Member was = view.members.get(peer);
            // put on a present key keeps its place in the join order.
            view.members.put(peer, new Member(peer, node, was == null ? null : was.identity()));
            roomOfPeer.put(peer, room);
        }
    }

    /**
     * A member of a room the directory closed: out of the view, and out of this node's peers if it
     * was a local one (the directory has it no more: no directory call).
     */
    boolean dropClosed(RoomId room, PeerId peer) {
        synchronized (lockOf(room)) {
            boolean local = localPeers.remove(peer, room);
            View view = views.get(room);
            if (view != null) {
                synchronized (view) {
                    view.members.remove(peer);
                }
            }
            roomOfPeer.remove(peer, room);
            return local;
        }
    }

    /** Drops the view of a room this node no longer has a member in; call under the room's lock. */
    void settle(RoomId room) {
        synchronized (lockOf(room)) {
            View view = views.get(room);
            if (view != null) {
                settleLocked(room, view);
            }
        }
    }

    private void settleLocked(RoomId room, View view) {
        synchronized (view) {
            for (PeerId peer : view.members.keySet()) {
                if (localPeers.containsKey(peer)) {
                    return;
                }
            }
            for (PeerId peer : view.members.keySet()) {
                roomOfPeer.remove(peer, room);
            }
            views.remove(room, view);
        }
        try {
            directory.release(self.get(), room);
        } catch (ClusterUnavailableException e) {
            // The index may stay a superset: a dead node's cleanup then finds nothing of it there.
        }
    }

    /** The node of a peer in one of this node's views. */
    Optional<NodeId> nodeOf(PeerId peer) {
        RoomId room = roomOfPeer.get(peer);
        View view = room == null ? null : views.get(room);
        if (view == null) {
            return Optional.empty();
        }
        synchronized (view) {
            Member member = view.members.get(peer);
            return member == null ? Optional.empty() : Optional.of(member.node());
        }
    }

    /** The identity of a member of one of this node's rooms, as its node stored it; null when unknown. */
    String identityOf(PeerId peer) {
        RoomId room = roomOfPeer.get(peer);
        View view = room == null ? null : views.get(room);
        if (view == null) {
            return null;
        }
        synchronized (view) {
            Member member = view.members.get(peer);
            return member == null ? null : member.identity();
        }
    }

    boolean isLocal(PeerId peer) {
        return localPeers.containsKey(peer);
    }

    /** This node's own members of each of its rooms, in join order: what a store that lost its state gets back. */
    Map<RoomId, List<Member>> localMembers() {
        Map<RoomId, List<Member>> result = new LinkedHashMap<>();
        views.forEach((room, view) -> {
            List<Member> mine = new ArrayList<>();
            synchronized (view) {
                view.members.forEach((peer, member) -> {
                    if (room.equals(localPeers.get(peer))) {
                        mine.add(member);
                    }
                });
            }
            if (!mine.isEmpty()) {
                result.put(room, mine);
            }
        });
        return result;
    }

    /** This node's peers that share a room with a member on {@code node}. */
    Set<PeerId> localPeersSharingRoomsWith(NodeId node) {
        Set<PeerId> affected = ConcurrentHashMap.newKeySet();
        views.forEach((room, view) -> {
            synchronized (view) {
                if (view.members.values().stream().anyMatch(m -> m.node().equals(node))) {
                    view.members.keySet().stream().filter(localPeers::containsKey).forEach(affected::add);
                }
            }
        });
        return affected;
    }

    ConcurrentLinkedQueue<Repair> repairs() {
        return repairs;
    }

    @Override
    public int roomCount() {
        int count = 0;
        for (View view : views.values()) {
            synchronized (view) {
                if (view.members.keySet().stream().anyMatch(localPeers::containsKey)) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public int peerCount() {
        return localPeers.size();
    }
}
