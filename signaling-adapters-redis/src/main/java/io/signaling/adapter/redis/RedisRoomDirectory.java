package io.signaling.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.MemberInfo;
import io.signaling.ports.cluster.RoomState;
import io.signaling.ports.cluster.RoomSummary;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.RoomDirectory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Room membership in Redis. A room is three keys in one hash slot: a hash peer → node, a sorted
 * set peer → join rank (the join order) and a hash of what members told at their join (identity,
 * protocol, time; the room's creation time). Each change is one Lua script on those keys, so it is
 * atomic and safe on a Redis Cluster. A node's room index (a set per node) is written with its own
 * single-key command before the join script, which keeps it a superset of the node's rooms even if
 * the node dies between the two. Scripts go with {@code EVAL} each time: after a Redis restart
 * there is no script cache to miss.
 */
final class RedisRoomDirectory implements RoomDirectory {

    private static final String MEMBERS_OF = """
            local out = {}
            for _, p in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
              out[#out + 1] = p
              out[#out + 1] = redis.call('HGET', KEYS[1], p)
              out[#out + 1] = redis.call('HGET', KEYS[3], 'p:' .. p) or ''
            end
            return out
            """;

    private static final String APPEND = """
            local function append(peer, node)
              local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
              local rank = 1
              if #last > 0 then rank = tonumber(last[2]) + 1 end
              redis.call('HSET', KEYS[1], peer, node)
              redis.call('ZADD', KEYS[2], rank, peer)
            end
            """;

    private static final String JOIN = "local function members()\n" + MEMBERS_OF + "end\n" + APPEND + """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {'already'} end
            if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return {'full'} end
            local before = members()
            append(ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[3], 'p:' .. ARGV[1], ARGV[4])
            if #before == 0 then redis.call('HSET', KEYS[3], 'c', ARGV[5]) end
            return {'admitted', before}
            """;

    private static final String DROP_INFO = """
            local function dropinfo(peer)
              redis.call('HDEL', KEYS[3], 'p:' .. peer, 's:' .. peer)
              if redis.call('HLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[3]) end
            end
            """;

    private static final String LEAVE = "local function members()\n" + MEMBERS_OF + "end\n" + DROP_INFO + """
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return {'none'} end
            redis.call('ZREM', KEYS[2], ARGV[1])
            dropinfo(ARGV[1])
            return {'left', members()}
            """;

    /** Re-homes a member (its join rank and details stay) if the node named holds it. */
    private static final String MOVE = "local function members()\n" + MEMBERS_OF + "end\n" + """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return {'none'} end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('HDEL', KEYS[3], 's:' .. ARGV[1])
            return {'moved', members()}
            """;

    /** Marks a member's session suspended (ARGV[3] = 1) or not, if the node named holds it. */
    private static final String SUSPENDED = """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            if ARGV[3] == '1' then redis.call('HSET', KEYS[3], 's:' .. ARGV[1], '1')
            else redis.call('HDEL', KEYS[3], 's:' .. ARGV[1]) end
            return 1
            """;

    /** The room's creation time, then peer, node, details, suspended ('1' or '') for each member in join order. */
    private static final String STATE = """
            local out = {redis.call('HGET', KEYS[3], 'c') or '0'}
            for _, p in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
              out[#out + 1] = p
              out[#out + 1] = redis.call('HGET', KEYS[1], p)
              out[#out + 1] = redis.call('HGET', KEYS[3], 'p:' .. p) or ''
              out[#out + 1] = redis.call('HGET', KEYS[3], 's:' .. p) or ''
            end
            return out
            """;

    private static final String SUMMARY = """
            return {redis.call('HLEN', KEYS[1]), redis.call('HGET', KEYS[3], 'c') or '0'}
            """;

    private static final String CLOSE = "local function members()\n" + MEMBERS_OF + "end\n" + """
            local all = members()
            redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
            return all
            """;

    private static final String EVICT = "local function members()\n" + MEMBERS_OF + "end\n" + DROP_INFO + """
            local all = redis.call('HGETALL', KEYS[1])
            local removed = {}
            for i = 1, #all, 2 do
              if all[i + 1] == ARGV[1] then
                redis.call('HDEL', KEYS[1], all[i])
                redis.call('ZREM', KEYS[2], all[i])
                dropinfo(all[i])
                removed[#removed + 1] = all[i]
              end
            end
            return {removed, members()}
            """;

    private static final String RESTORE = APPEND + """
            for i = 1, #ARGV, 3 do
              if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 0 then
                append(ARGV[i], ARGV[i + 1])
                redis.call('HSETNX', KEYS[3], 'p:' .. ARGV[i], ARGV[i + 2])
              end
            end
            return 1
            """;

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final java.util.function.LongSupplier wallClock;

    RedisRoomDirectory(RedisConnections redis, RedisKeys keys) {
        this(redis, keys, System::currentTimeMillis);
    }

    RedisRoomDirectory(RedisConnections redis, RedisKeys keys, java.util.function.LongSupplier wallClock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    }

    private String[] roomKeys(RoomId room) {
        return new String[] {keys.roomMembers(room), keys.roomOrder(room), keys.roomInfo(room)};
    }

    /**
     * The room index is one key in another slot than the room, so it cannot change in the room's
     * script: a join adds the room before its script (a node dying in between leaves an empty
     * room listed, which listing skips) and, when it created the room, again after it (repairing
     * a concurrent {@link #unindexIfEmpty} that removed it in between).
     */
    @Override
    public Admission join(RoomId room, Member member, int maxPeers, MemberInfo info) {
        var indexed = redis.async().sadd(keys.nodeRooms(member.node()), room.value());
        var listed = redis.async().zadd(keys.rooms(), 0, room.value());
        redis.await("room index", indexed);
        redis.await("room index", listed);
        List<Object> reply = redis.await("join", redis.async().eval(JOIN, ScriptOutputType.MULTI, roomKeys(room),
                member.peer().value(), member.node().value(), Integer.toString(maxPeers),
                encode(info.identity() == null && member.identity() != null
                        ? new MemberInfo(member.identity(), info.joinedAtMillis(), info.protocol()) : info),
                Long.toString(wallClock.getAsLong())));
        return switch ((String) reply.get(0)) {
            case "already" -> new Admission.AlreadyMember();
            case "full" -> new Admission.Full(maxPeers);
            default -> {
                List<Member> before = members(reply.get(1));
                if (before.isEmpty()) {
                    redis.await("room index", redis.async().zadd(keys.rooms(), 0, room.value()));
                }
                yield new Admission.Admitted(before);
            }
        };
    }

    @Override
    public Optional<List<Member>> leave(RoomId room, PeerId peer) {
        List<Object> reply = redis.await("leave", redis.async().eval(LEAVE, ScriptOutputType.MULTI, roomKeys(room),
                peer.value()));
        if ("none".equals(reply.get(0))) {
            return Optional.empty();
        }
        List<Member> remaining = members(reply.get(1));
        if (remaining.isEmpty()) {
            unindexIfEmpty(room);
        }
        return Optional.of(remaining);
    }

    /**
     * Drops an empty room from the index: remove, then look again and put it back if a join
     * landed meanwhile (a join that created the room adds it after its script, so every order of
     * the two ends with a room that has members listed). Best effort: listing skips empty rooms.
     */
    private void unindexIfEmpty(RoomId room) {
        try {
            redis.await("room index", redis.async().zrem(keys.rooms(), room.value()));
            Long size = redis.await("room index", redis.async().hlen(keys.roomMembers(room)));
            if (size != null && size > 0) {
                redis.await("room index", redis.async().zadd(keys.rooms(), 0, room.value()));
            }
        } catch (ClusterUnavailableException e) {
            // The index stays a superset; listing skips the empty room and a later leave tries again.
        }
    }

    @Override
    public Optional<RoomState> room(RoomId room) {
        List<Object> reply = redis.await("room", redis.async().eval(STATE, ScriptOutputType.MULTI, roomKeys(room)));
        if (reply.size() < 5) {
            return Optional.empty();
        }
        long created = parseLong((String) reply.get(0));
        List<RoomState.Entry> entries = new ArrayList<>((reply.size() - 1) / 4);
        for (int i = 1; i + 3 < reply.size(); i += 4) {
            MemberInfo info = decode((String) reply.get(i + 2)).withSuspended("1".equals(reply.get(i + 3)));
            entries.add(new RoomState.Entry(new Member(PeerId.of((String) reply.get(i)), NodeId.of((String) reply.get(i + 1)),
                    info.identity()), info));
        }
        return Optional.of(new RoomState(room, created, entries));
    }

    @Override
    public List<RoomSummary> rooms(RoomId after, int limit) {
        List<RoomSummary> page = new ArrayList<>(limit);
        String from = after == null ? "-" : "(" + after.value();
        while (page.size() < limit) {
            int want = limit - page.size();
            List<String> names = redis.await("rooms", redis.async().zrangebylex(keys.rooms(),
                    io.lettuce.core.Range.from(lexBoundary(from), io.lettuce.core.Range.Boundary.unbounded()),
                    io.lettuce.core.Limit.create(0, want)));
            if (names.isEmpty()) {
                break;
            }
            List<io.lettuce.core.RedisFuture<List<Object>>> replies = new ArrayList<>(names.size());
            for (String name : names) {
                replies.add(RoomId.isValid(name) ? redis.async().eval(SUMMARY, ScriptOutputType.MULTI,
                        roomKeys(RoomId.of(name))) : null);
            }
            for (int i = 0; i < names.size(); i++) {
                if (replies.get(i) == null) {
                    continue;
                }
                List<Object> summary = redis.await("rooms", replies.get(i));
                long peers = (Long) summary.get(0);
                if (peers > 0) {
                    page.add(new RoomSummary(RoomId.of(names.get(i)), (int) peers, parseLong((String) summary.get(1))));
                }
            }
            from = "(" + names.get(names.size() - 1);
            if (names.size() < want) {
                break;
            }
        }
        return page;
    }

    private static io.lettuce.core.Range.Boundary<String> lexBoundary(String from) {
        if (from.equals("-")) {
            return io.lettuce.core.Range.Boundary.unbounded();
        }
        return io.lettuce.core.Range.Boundary.excluding(from.substring(1));
    }

    @Override
    public List<Member> close(RoomId room) {
        List<Object> reply = redis.await("close", redis.async().eval(CLOSE, ScriptOutputType.MULTI, roomKeys(room)));
        unindexIfEmpty(room);
        return members(reply);
    }

    /** {@code protocol \n joinedAt \n identity}: the identity last, as it may contain anything. */
    private static String encode(MemberInfo info) {
        return (info.protocol() == null ? "" : info.protocol()) + "\n" + info.joinedAtMillis() + "\n"
                + (info.identity() == null ? "" : info.identity());
    }

    private static MemberInfo decode(String stored) {
        if (stored == null || stored.isEmpty()) {
            return MemberInfo.unknown();
        }
        String[] parts = stored.split("\n", 3);
        if (parts.length < 3) {
            return MemberInfo.unknown();
        }
        return new MemberInfo(parts[2].isEmpty() ? null : parts[2], parseLong(parts[1]),
                parts[0].isEmpty() ? null : parts[0]);
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0L : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0L;
        }
    }

    @Override
    public Optional<List<Member>> move(RoomId room, PeerId peer, NodeId from, NodeId to) {
        redis.await("room index", redis.async().sadd(keys.nodeRooms(to), room.value()));
        List<Object> reply = redis.await("move", redis.async().eval(MOVE, ScriptOutputType.MULTI, roomKeys(room),
                peer.value(), from.value(), to.value()));
        if ("none".equals(reply.get(0))) {
            return Optional.empty();
        }
        return Optional.of(members(reply.get(1)));
    }

    @Override
    public void suspended(RoomId room, PeerId peer, NodeId node, boolean suspended) {
        redis.await("suspended", redis.async().eval(SUSPENDED, ScriptOutputType.INTEGER, roomKeys(room),
                peer.value(), node.value(), suspended ? "1" : "0"));
    }

    @Override
    public List<Member> members(RoomId room) {
        List<Object> reply = redis.await("members", redis.async().eval(MEMBERS_OF, ScriptOutputType.MULTI,
                roomKeys(room)));
        return members(reply);
    }

    @Override
    public Eviction evict(RoomId room, NodeId node) {
        List<Object> reply = redis.await("evict", redis.async().eval(EVICT, ScriptOutputType.MULTI, roomKeys(room),
                node.value()));
        List<PeerId> removed = new ArrayList<>();
        for (Object peer : (List<?>) reply.get(0)) {
            removed.add(PeerId.of((String) peer));
        }
        List<Member> remaining = members(reply.get(1));
        if (remaining.isEmpty()) {
            unindexIfEmpty(room);
        }
        return new Eviction(removed, remaining);
    }

    @Override
    public Set<RoomId> roomsOf(NodeId node) {
        Set<RoomId> rooms = new HashSet<>();
        for (String room : redis.await("room index", redis.async().smembers(keys.nodeRooms(node)))) {
            if (RoomId.isValid(room)) {
                rooms.add(RoomId.of(room));
            }
        }
        return rooms;
    }

    @Override
    public void release(NodeId node, RoomId room) {
        redis.await("room index", redis.async().srem(keys.nodeRooms(node), room.value()));
    }

    @Override
    public void forget(NodeId node) {
        redis.await("room index", redis.async().del(keys.nodeRooms(node)));
    }

    @Override
    public void restore(RoomId room, List<Member> members) {
        if (members.isEmpty()) {
            return;
        }
        Set<NodeId> nodes = new HashSet<>();
        String[] args = new String[members.size() * 3];
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            args[3 * i] = member.peer().value();
            args[3 * i + 1] = member.node().value();
            // What a store that lost its state can tell again: the identity the restoring node kept.
            args[3 * i + 2] = encode(new MemberInfo(member.identity(), 0L, null));
            nodes.add(member.node());
        }
        for (NodeId node : nodes) {
            redis.await("room index", redis.async().sadd(keys.nodeRooms(node), room.value()));
        }
        redis.await("room index", redis.async().zadd(keys.rooms(), 0, room.value()));
        redis.await("restore", redis.async().eval(RESTORE, ScriptOutputType.INTEGER, roomKeys(room), args));
    }

    /** Peer, node, stored join details for each member (MEMBERS_OF): the identity comes from the details. */
    private static List<Member> members(Object triples) {
        List<?> list = (List<?>) triples;
        List<Member> members = new ArrayList<>(list.size() / 3);
        for (int i = 0; i + 2 < list.size(); i += 3) {
            members.add(new Member(PeerId.of((String) list.get(i)), NodeId.of((String) list.get(i + 1)),
                    decode((String) list.get(i + 2)).identity()));
        }
        return members;
    }
}
