package io.signaling.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.RoomDirectory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Room membership in Redis. A room is two keys in one hash slot: a hash peer → node and a sorted
 * set peer → join rank (the join order); a member's value is its node, then, when its access token
 * granted one, a space and its identity (node ids have no spaces). Each change is one Lua script on those two keys, so it is
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
            return {'admitted', before}
            """;

    private static final String LEAVE = "local function members()\n" + MEMBERS_OF + "end\n" + """
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return {'none'} end
            redis.call('ZREM', KEYS[2], ARGV[1])
            return {'left', members()}
            """;

    private static final String EVICT = "local function members()\n" + MEMBERS_OF + "end\n" + """
            local all = redis.call('HGETALL', KEYS[1])
            local removed = {}
            for i = 1, #all, 2 do
              if all[i + 1] == ARGV[1] or string.sub(all[i + 1], 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then
                redis.call('HDEL', KEYS[1], all[i])
                redis.call('ZREM', KEYS[2], all[i])
                removed[#removed + 1] = all[i]
              end
            end
            return {removed, members()}
            """;

    private static final String RESTORE = APPEND + """
            for i = 1, #ARGV, 2 do
              if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 0 then append(ARGV[i], ARGV[i + 1]) end
            end
            return 1
            """;

    private final RedisConnections redis;
    private final RedisKeys keys;

    RedisRoomDirectory(RedisConnections redis, RedisKeys keys) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    private String[] roomKeys(RoomId room) {
        return new String[] {keys.roomMembers(room), keys.roomOrder(room)};
    }

    @Override
    public Admission join(RoomId room, Member member, int maxPeers) {
        redis.await("room index", redis.async().sadd(keys.nodeRooms(member.node()), room.value()));
        List<Object> reply = redis.await("join", redis.async().eval(JOIN, ScriptOutputType.MULTI, roomKeys(room),
                member.peer().value(), value(member), Integer.toString(maxPeers)));
        return switch ((String) reply.get(0)) {
            case "already" -> new Admission.AlreadyMember();
            case "full" -> new Admission.Full(maxPeers);
            default -> new Admission.Admitted(members(reply.get(1)));
        };
    }

    @Override
    public Optional<List<Member>> leave(RoomId room, PeerId peer) {
        List<Object> reply = redis.await("leave", redis.async().eval(LEAVE, ScriptOutputType.MULTI, roomKeys(room),
                peer.value()));
        if ("none".equals(reply.get(0))) {
            return Optional.empty();
        }
        return Optional.of(members(reply.get(1)));
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
        return new Eviction(removed, members(reply.get(1)));
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
        String[] args = new String[members.size() * 2];
        for (int i = 0; i < members.size(); i++) {
            args[2 * i] = members.get(i).peer().value();
            args[2 * i + 1] = value(members.get(i));
            nodes.add(members.get(i).node());
        }
        for (NodeId node : nodes) {
            redis.await("room index", redis.async().sadd(keys.nodeRooms(node), room.value()));
        }
        redis.await("restore", redis.async().eval(RESTORE, ScriptOutputType.INTEGER, roomKeys(room), args));
    }

    /** A member's hash value: its node, then after one space its identity when it has one. */
    private static String value(Member member) {
        return member.identity() == null ? member.node().value() : member.node().value() + " " + member.identity();
    }

    private static List<Member> members(Object pairs) {
        List<?> list = (List<?>) pairs;
        List<Member> members = new ArrayList<>(list.size() / 2);
        for (int i = 0; i + 1 < list.size(); i += 2) {
            String value = (String) list.get(i + 1);
            int space = value.indexOf(' ');
            members.add(space < 0 ? new Member(PeerId.of((String) list.get(i)), NodeId.of(value))
                    : new Member(PeerId.of((String) list.get(i)), NodeId.of(value.substring(0, space)),
                            value.substring(space + 1)));
        }
        return members;
    }
}
