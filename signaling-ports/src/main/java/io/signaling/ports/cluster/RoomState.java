package io.signaling.ports.cluster;

import io.signaling.domain.signaling.RoomId;
import java.util.List;
import java.util.Objects;

/**
 * One room and each of its members with what is known of it, in join order.
 *
 * @param createdAtMillis when its first member joined (Unix milliseconds; 0 when unknown)
 */
public record RoomState(RoomId room, long createdAtMillis, List<Entry> members) {

    public RoomState {
        Objects.requireNonNull(room, "room");
        members = List.copyOf(members);
    }

    /** A member and what it said of itself when it joined. */
    public record Entry(Member member, MemberInfo info) {
        public Entry {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(info, "info");
        }
    }
}
