package io.signaling.ports.cluster;

import io.signaling.domain.signaling.RoomId;
import java.util.Objects;

/**
 * One room as the room management API lists it.
 *
 * @param room            its name
 * @param peers           its member count
 * @param createdAtMillis when its first member joined (Unix milliseconds; 0 when unknown)
 */
public record RoomSummary(RoomId room, int peers, long createdAtMillis) {
    public RoomSummary {
        Objects.requireNonNull(room, "room");
    }
}
