package io.signaling.adapter.redis;

import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.NodeId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every key this adapter writes, under one prefix so several deployments share a Redis. A room's
 * keys share the hash tag {@code {prefix:room:name}}, so each room script stays in one slot of a
 * Redis Cluster; every other key is used by single-key commands only. Room and node ids are
 * {@code [A-Za-z0-9_-]}, so no id can break out of its tag.
 */
final class RedisKeys {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final String prefix;

    RedisKeys(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a key prefix is 1-64 characters of [A-Za-z0-9_.:-], got '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    String roomMembers(RoomId room) {
        return "{" + prefix + ":room:" + room.value() + "}:members";
    }

    String roomOrder(RoomId room) {
        return "{" + prefix + ":room:" + room.value() + "}:order";
    }

    /** The room's creation time ({@code c}) and each member's join details ({@code p:<peer>}). */
    String roomInfo(RoomId room) {
        return "{" + prefix + ":room:" + room.value() + "}:info";
    }

    /** The index of rooms (a superset of the rooms with members), a sorted set scored 0: ordered by name. */
    String rooms() {
        return prefix + ":rooms";
    }

    String nodeRooms(NodeId node) {
        return prefix + ":node-rooms:" + node.value();
    }

    String lease(NodeId node) {
        return prefix + ":lease:" + node.value();
    }

    String nodes() {
        return prefix + ":nodes";
    }

    String cleanup(NodeId node) {
        return prefix + ":cleanup:" + node.value();
    }

    String epoch() {
        return prefix + ":epoch";
    }

    String inbox(NodeId node) {
        return prefix + ":inbox:" + node.value();
    }
}
