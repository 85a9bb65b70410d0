package io.signaling.ports.cluster;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Room membership across every node of a cluster: the single source of truth for who is in which
 * room and on which node.
 *
 * <p>Direction: outbound, implemented by a shared store (Redis) or in memory (one process).
 *
 * <p>Guarantees: each method is atomic for the one room it names (a shared store runs it as one
 * script or transaction on keys of that room only, so it is safe on a sharded store): {@link #join}
 * checks the size and adds in one step, so concurrent joins from any number of nodes never
 * overfill a room; {@link #leave} and {@link #evict} remove each member exactly once, so of two
 * racing removals of the same member exactly one reports it. Members are reported in join order.
 * The room index of a node ({@link #roomsOf}) is a superset of the rooms where the node has
 * members, provided callers {@link #release} a room only once the node has no member left in it.
 *
 * <p>Failure: every method answers within the implementation's command timeout or throws
 * {@link ClusterUnavailableException}; after a throw the change may or may not have happened
 * (a later {@link #leave} or {@link #evict} is the repair; both are idempotent).
 *
 * <p>Thread-safety: safe for concurrent use from any thread; calls may block up to the timeout.
 */
public interface RoomDirectory {

    /**
     * Adds {@code member} to {@code room} unless it is there already or the room holds {@code maxPeers}.
     * Its identity is stored as the identity of its join details.
     */
    default Admission join(RoomId room, Member member, int maxPeers) {
        return join(room, member, maxPeers, new MemberInfo(member.identity(), 0L, null));
    }

    /**
     * As {@link #join(RoomId, Member, int)}, storing {@code info} with the membership (in the same
     * atomic step) for {@link #room}; the first member's join also records the room's creation time.
     * The identity is stored once, in the join details: {@code info}'s, or the member's when
     * {@code info} has none. Every {@link Member} this directory returns carries that identity
     * (room-mates on other nodes see it in {@code joined.peers}); members {@linkplain #restore
     * restored} keep theirs.
     */
    Admission join(RoomId room, Member member, int maxPeers, MemberInfo info);

    /** The room with its members and what they told at their join; empty when it has no member. */
    Optional<RoomState> room(RoomId room);

    /**
     * Up to {@code limit} rooms with at least one member, in ascending order of name, starting after
     * {@code after} (exclusive; {@code null} from the first). Walking page by page with the last name
     * of each page as the next {@code after} lists every room that exists during the whole walk once
     * and no room twice, whatever joins and leaves happen meanwhile (a room created or emptied during
     * the walk may or may not be listed). Never scans the store's whole keyspace.
     */
    List<RoomSummary> rooms(RoomId after, int limit);

    /**
     * Removes every member of {@code room} in one atomic step and returns them in join order
     * (empty when the room had none). A join after it creates the room anew: it never sees a
     * member of the closed room.
     */
    List<Member> close(RoomId room);

    /** Removes {@code peer} from {@code room}; the members that remain, or empty when it was not a member. */
    Optional<List<Member>> leave(RoomId room, PeerId peer);

    /**
     * Moves {@code peer}'s membership of {@code room} from node {@code from} to node {@code to} in
     * one atomic step (its place in the join order and its join details stay), and adds the room to
     * {@code to}'s room index (before the move, so the index stays a superset): a session that
     * resumed on another node.
     *
     * @return the members after the move, in join order; empty when {@code peer} is not a member
     *         held by {@code from} (nothing changed)
     */
    Optional<List<Member>> move(RoomId room, PeerId peer, NodeId from, NodeId to);

    /**
     * (v1.1) Marks the session of {@code peer}, a member of {@code room} held by {@code node}, as
     * suspended or connected again ({@link MemberInfo#suspended}, as {@link #room} shows it). Changes
     * nothing when {@code node} does not hold it (a late mark from a node it moved away from). A
     * leave, eviction, close or {@linkplain #move move} clears it.
     */
    void suspended(RoomId room, PeerId peer, NodeId node, boolean suspended);

    /** The members of {@code room} in join order; empty when the room does not exist. */
    List<Member> members(RoomId room);

    /** Removes every member that {@code node} holds in {@code room}: a dead node's cleanup. */
    Eviction evict(RoomId room, NodeId node);

    /** The rooms where {@code node} may have members (a superset, see the class comment). */
    Set<RoomId> roomsOf(NodeId node);

    /** Drops {@code room} from the node's room index; call when the node has no member left there. */
    void release(NodeId node, RoomId room);

    /** Drops the node's whole room index, after its eviction or its orderly stop. */
    void forget(NodeId node);

    /**
     * Puts members back after the store lost its state (a restart or a flush), in the given order
     * after any member there now, without the size check (they had been admitted); members already
     * present stay where they are.
     */
    void restore(RoomId room, List<Member> members);

    /** The outcome of {@link #join}. */
    sealed interface Admission permits Admission.Admitted, Admission.Full, Admission.AlreadyMember {

        /** @param before the members that were there already, in join order */
        record Admitted(List<Member> before) implements Admission {
            public Admitted {
                before = List.copyOf(before);
            }
        }

        record Full(int maxPeers) implements Admission {
        }

        record AlreadyMember() implements Admission {
        }
    }

    /**
     * @param removed   the peers this call removed (none when another call removed them first)
     * @param remaining the members left, in join order
     */
    record Eviction(List<PeerId> removed, List<Member> remaining) {
        public Eviction {
            removed = List.copyOf(Objects.requireNonNull(removed, "removed"));
            remaining = List.copyOf(Objects.requireNonNull(remaining, "remaining"));
        }
    }
}
