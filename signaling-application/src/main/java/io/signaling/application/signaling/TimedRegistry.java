package io.signaling.application.signaling;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.RoomSummary;
import io.signaling.ports.signaling.RoomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * A node's own registry (no cluster) with what the room management API shows besides membership:
 * when each room was created and each peer joined, and the rooms in name order for paging.
 *
 * <p>Thread-safety: the service calls {@link #join} and {@link #leave} under the room's stripe
 * lock, so the times follow membership room by room; readers take no lock and may see a room a
 * moment before or after a change (a room with no member left is skipped).
 */
final class TimedRegistry implements RoomRegistry {

    private final RoomRegistry delegate;
    private final LongSupplier wallClock;
    private final ConcurrentSkipListMap<String, Long> createdAt = new ConcurrentSkipListMap<>();
    private final ConcurrentMap<PeerId, Long> joinedAt = new ConcurrentHashMap<>();

    TimedRegistry(RoomRegistry delegate, LongSupplier wallClock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    }

    @Override
    public Optional<RoomId> roomOf(PeerId peer) {
        return delegate.roomOf(peer);
    }

    @Override
    public List<PeerId> members(RoomId room) {
        return delegate.members(room);
    }

    @Override
    public JoinResult join(RoomId room, PeerId peer, int maxPeers) {
        JoinResult result = delegate.join(room, peer, maxPeers);
        if (result instanceof JoinResult.Joined joined) {
            long now = wallClock.getAsLong();
            joinedAt.put(peer, now);
            if (joined.others().isEmpty()) {
                createdAt.put(room.value(), now);
            } else {
                createdAt.putIfAbsent(room.value(), now);
            }
        }
        return result;
    }

    @Override
    public Optional<Departure> leave(PeerId peer) {
        Optional<Departure> departure = delegate.leave(peer);
        departure.ifPresent(d -> {
            joinedAt.remove(peer);
            if (d.remaining().isEmpty()) {
                createdAt.remove(d.room().value());
            }
        });
        return departure;
    }

    @Override
    public int roomCount() {
        return delegate.roomCount();
    }

    @Override
    public int peerCount() {
        return delegate.peerCount();
    }

    long joinedAt(PeerId peer) {
        return joinedAt.getOrDefault(peer, 0L);
    }

    long createdAt(RoomId room) {
        return createdAt.getOrDefault(room.value(), 0L);
    }

    /** Up to {@code limit} rooms with members, in name order, after {@code after} (exclusive; null from the first). */
    List<RoomSummary> rooms(RoomId after, int limit) {
        List<RoomSummary> page = new ArrayList<>(Math.min(limit, 64));
        Map<String, Long> tail = after == null ? createdAt : createdAt.tailMap(after.value(), false);
        for (Map.Entry<String, Long> entry : tail.entrySet()) {
            if (page.size() >= limit) {
                break;
            }
            RoomId room = RoomId.of(entry.getKey());
            int peers = delegate.members(room).size();
            if (peers > 0) {
                page.add(new RoomSummary(room, peers, entry.getValue()));
            }
        }
        return page;
    }
}
