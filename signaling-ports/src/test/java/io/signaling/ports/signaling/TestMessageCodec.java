package io.signaling.ports.signaling;

import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RelayKind;
import io.signaling.domain.signaling.RoomId;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.ports.http.Json;
import java.util.Map;
import java.util.Optional;

/**
 * A second {@link MessageCodec}, for tests of the core (whose main code carries no JSON library;
 * it reads with Jackson through {@link MiniJson}, test-scoped). It follows the contract (strict types, unknown fields ignored, payload raw) and passes
 * {@link MessageCodecContract}; production uses the Jackson adapter.
 */
public final class TestMessageCodec implements MessageCodec {

    @Override
    public Decoded decode(String text) {
        MiniJson.Document document;
        try {
            document = MiniJson.parseDocument(text);
        } catch (MiniJson.SyntaxException e) {
            return bad("message is not valid JSON: " + e.getMessage(), null);
        }
        if (!(document.value() instanceof Map<?, ?> object)) {
            return bad("message must be a JSON object", null);
        }
        // As the production codec: a member this type uses, given twice, is refused (docs/protocol.md).
        for (String name : document.repeated()) {
            if (usedBy(object.get("type"), name)) {
                Object onlyId = document.repeated().contains("id") ? null : object.get("id");
                return bad("field '" + name + "' must appear only once", onlyId instanceof String s ? s : null);
            }
        }
        Object rawId = object.get("id");
        String id = rawId instanceof String s ? s : null;
        if (rawId != null && id == null) {
            return bad("field 'id' must be a string", null);
        }
        if (!(object.get("type") instanceof String type)) {
            return bad(object.containsKey("type") ? "field 'type' must be a string" : "field 'type' is required", id);
        }
        long seq = Decoded.Message.NO_SEQ;
        if (object.containsKey("seq")) {
            Object raw = object.get("seq");
            String spelled = document.rawMembers().get("seq");
            seq = raw instanceof Number && spelled != null && spelled.matches("[1-9][0-9]{0,15}")
                    && Long.parseLong(spelled) <= (1L << 53) - 1 ? Long.parseLong(spelled) : Decoded.Message.INVALID_SEQ;
        }
        switch (type) {
            case "join": {
                Object room = object.get("room");
                if (!(room instanceof String name)) {
                    return bad(room == null ? "field 'room' is required" : "field 'room' must be a string", id);
                }
                if (!RoomId.isValid(name)) {
                    return new Decoded.Invalid(ErrorCode.INVALID_ROOM, RoomId.describeInvalid(name), id);
                }
                return new Decoded.Message(new ClientMessage.Join(id, RoomId.of(name)), seq);
            }
            case "leave":
                return new Decoded.Message(new ClientMessage.Leave(id), seq);
            case "ping":
                return new Decoded.Message(new ClientMessage.Ping(id), seq);
            default:
                Optional<RelayKind> kind = RelayKind.fromWire(type);
                if (kind.isEmpty()) {
                    return new Decoded.Invalid(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + type + "'", id);
                }
                Object to = object.get("to");
                if (!(to instanceof String target)) {
                    return bad(to == null ? "field 'to' is required" : "field 'to' must be a string", id);
                }
                if (!object.containsKey("payload")) {
                    return bad("field 'payload' is required", id);
                }
                return new Decoded.Message(new ClientMessage.Relay(id, kind.get(), target,
                        document.rawMembers().get("payload")), seq);
        }
    }

    private static boolean usedBy(Object type, String member) {
        return switch (member) {
            case "type", "id" -> true;
            case "room" -> "join".equals(type);
            case "to", "payload" -> type instanceof String t && RelayKind.fromWire(t).isPresent();
            default -> false;
        };
    }

    private static Decoded bad(String message, String id) {
        return new Decoded.Invalid(ErrorCode.BAD_MESSAGE, message, id);
    }

    @Override
    public String encode(ServerMessage message) {
        StringBuilder sb = new StringBuilder(64).append("{\"type\":");
        Json.quote(sb, message.type());
        if (message instanceof ServerMessage.Welcome w) {
            ServerMessage.Limits l = w.limits();
            field(sb, "peerId", w.peerId().value());
            sb.append(",\"limits\":{\"maxMessageBytes\":").append(l.maxMessageBytes())
                    .append(",\"maxPeersPerRoom\":").append(l.maxPeersPerRoom())
                    .append(",\"messagesPerSecond\":").append(number(l.messagesPerSecond()))
                    .append(",\"burst\":").append(l.burst())
                    .append(",\"pingIntervalMs\":").append(l.pingIntervalMs())
                    .append(",\"idleTimeoutMs\":").append(l.idleTimeoutMs());
            ServerMessage.Resume r = w.resume();
            if (r != null) {
                sb.append(",\"resumeWindowMs\":").append(r.resumeWindowMs());
            }
            sb.append('}');
            if (r != null) {
                if (r.resumeToken() != null) {
                    field(sb, "resumeToken", r.resumeToken());
                }
                if (r.resumed() != null) {
                    sb.append(",\"resumed\":").append(r.resumed());
                }
                if (Boolean.TRUE.equals(r.resumed())) {
                    if (r.room() == null) {
                        sb.append(",\"room\":null");
                    } else {
                        field(sb, "room", r.room().value());
                    }
                    if (r.lastClientSeq() != null) {
                        sb.append(",\"lastClientSeq\":").append(r.lastClientSeq());
                    }
                }
            }
            if (w.identity() != null) {
                field(sb, "identity", w.identity());
            }
            if (!w.iceServers().isEmpty()) {
                iceServers(sb, w.iceServers());
            }
        } else if (message instanceof ServerMessage.Joined j) {
            id(sb, j.id());
            field(sb, "room", j.room().value());
            field(sb, "peerId", j.peerId().value());
            sb.append(",\"peers\":[");
            for (int i = 0; i < j.peers().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Json.quote(sb, j.peers().get(i).value());
            }
            sb.append("],\"polite\":").append(j.polite());
            if (j.members() != null) {
                sb.append(",\"members\":[");
                for (int i = 0; i < j.members().size(); i++) {
                    ServerMessage.Member m = j.members().get(i);
                    sb.append(i > 0 ? ",{" : "{").append("\"peerId\":");
                    Json.quote(sb, m.peerId().value());
                    if (m.identity() != null) {
                        field(sb, "identity", m.identity());
                    }
                    sb.append('}');
                }
                sb.append(']');
            }
        } else if (message instanceof ServerMessage.PeerJoined p) {
            field(sb, "room", p.room().value());
            field(sb, "peerId", p.peerId().value());
            sb.append(",\"polite\":").append(p.polite());
            if (p.identity() != null) {
                field(sb, "identity", p.identity());
            }
        } else if (message instanceof ServerMessage.IceServers i) {
            iceServers(sb, i.iceServers());
        } else if (message instanceof ServerMessage.PeerLeft p) {
            field(sb, "room", p.room().value());
            field(sb, "peerId", p.peerId().value());
            field(sb, "reason", p.reason().wire());
        } else if (message instanceof ServerMessage.GoAway g) {
            field(sb, "reason", g.reason());
            sb.append(",\"reconnect\":").append(g.reconnect());
            if (g.resumeToken() != null) {
                field(sb, "resumeToken", g.resumeToken());
            }
        } else if (message instanceof ServerMessage.Left l) {
            id(sb, l.id());
            field(sb, "room", l.room().value());
            if (l.reason() != null) {
                field(sb, "reason", l.reason().wire());
            }
        } else if (message instanceof ServerMessage.Relayed r) {
            field(sb, "from", r.from().value());
            field(sb, "to", r.to().value());
            sb.append(",\"payload\":").append(r.payload());
        } else if (message instanceof ServerMessage.Pong p) {
            id(sb, p.id());
        } else if (message instanceof ServerMessage.Error e) {
            field(sb, "code", e.code().wire());
            field(sb, "message", e.message());
            id(sb, e.id());
            if (e.retryAfterMs() != null) {
                sb.append(",\"retryAfterMs\":").append(e.retryAfterMs());
            }
        }
        return sb.append('}').toString();
    }

    private static void iceServers(StringBuilder sb, java.util.List<io.signaling.domain.signaling.IceServer> servers) {
        sb.append(",\"iceServers\":[");
        for (int i = 0; i < servers.size(); i++) {
            io.signaling.domain.signaling.IceServer server = servers.get(i);
            sb.append(i > 0 ? ",{" : "{").append("\"urls\":[");
            for (int u = 0; u < server.urls().size(); u++) {
                if (u > 0) {
                    sb.append(',');
                }
                Json.quote(sb, server.urls().get(u));
            }
            sb.append(']');
            if (server.username() != null) {
                field(sb, "username", server.username());
                field(sb, "credential", server.credential());
            }
            sb.append('}');
        }
        sb.append(']');
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static void id(StringBuilder sb, String id) {
        if (id != null) {
            field(sb, "id", id);
        }
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(',');
        Json.quote(sb, name).append(':');
        Json.quote(sb, value);
    }

    /** For tests that build peer ids from decoded text. */
    public static PeerId peer(Object value) {
        return PeerId.of((String) value);
    }
}
