package io.signaling.ports.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.LeaveReason;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RelayKind;
import io.signaling.domain.signaling.RoomId;
import io.signaling.domain.signaling.ServerMessage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire contract of signaling v1 as every {@link MessageCodec} must meet it; a codec's test
 * extends this class. Encoded output is compared as parsed JSON (member order and number
 * spelling are free), payloads as JSON values.
 */
public abstract class MessageCodecContract {

    protected abstract MessageCodec codec();

    private ClientMessage decodeOk(String text) {
        Decoded decoded = codec().decode(text);
        assertThat(decoded).as("decoding %s", text).isInstanceOf(Decoded.Message.class);
        return ((Decoded.Message) decoded).message();
    }

    private Decoded.Invalid decodeInvalid(String text) {
        Decoded decoded = codec().decode(text);
        assertThat(decoded).as("decoding %s", text).isInstanceOf(Decoded.Invalid.class);
        Decoded.Invalid invalid = (Decoded.Invalid) decoded;
        assertThat(invalid.message()).isNotBlank();
        return invalid;
    }

    /** Numbers compared by value, so that 50, 50.0 and 5E+1 are one. */
    private static Object normalize(Object value) {
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(normalize(v)));
            return out;
        }
        return value;
    }

    private static Object json(String text) {
        return normalize(MiniJson.parse(text));
    }

    private void assertEncodes(ServerMessage message, String expectedJson) {
        assertThat(json(codec().encode(message))).isEqualTo(json(expectedJson));
    }

    // ------------------------------------------------------------------ decoding

    @Test
    void decodesJoinLeavePingWithAndWithoutId() {
        assertThat(decodeOk("{\"type\":\"join\",\"room\":\"Room_1-a\",\"id\":\"q1\"}"))
                .isEqualTo(new ClientMessage.Join("q1", RoomId.of("Room_1-a")));
        assertThat(decodeOk("{\"type\":\"join\",\"room\":\"r\"}")).isEqualTo(new ClientMessage.Join(null, RoomId.of("r")));
        assertThat(decodeOk("{\"type\":\"leave\",\"id\":\"q2\"}")).isEqualTo(new ClientMessage.Leave("q2"));
        assertThat(decodeOk("{\"type\":\"leave\"}")).isEqualTo(new ClientMessage.Leave(null));
        assertThat(decodeOk(" {\"type\" : \"ping\"} ")).isEqualTo(new ClientMessage.Ping(null));
    }

    @Test
    void ignoresUnknownFields() {
        assertThat(decodeOk("{\"type\":\"ping\",\"id\":\"p\",\"extra\":{\"deep\":[1,2,{}]},\"n\":3}"))
                .isEqualTo(new ClientMessage.Ping("p"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"offer", "answer", "candidate"})
    void decodesRelaysWithThePayloadAsTheSameJsonValue(String type) {
        String payload = "{\"sdp\":\"v=0\\r\\n\",\"n\":[1,2.5,true,null],\"u\":\"\\u00e9\"}";
        ClientMessage message = decodeOk("{\"type\":\"" + type + "\",\"to\":\"peer-1\",\"payload\":" + payload
                + ",\"id\":\"m\"}");
        assertThat(message).isInstanceOfSatisfying(ClientMessage.Relay.class, relay -> {
            assertThat(relay.kind()).isEqualTo(RelayKind.fromWire(type).orElseThrow());
            assertThat(relay.to()).isEqualTo("peer-1");
            assertThat(relay.id()).isEqualTo("m");
            assertThat(json(relay.payload())).isEqualTo(json(payload));
        });
    }

    @Test
    void aNullPayloadIsEndOfCandidatesAndScalarsAreFine() {
        ClientMessage.Relay end = (ClientMessage.Relay) decodeOk("{\"type\":\"candidate\",\"to\":\"p\",\"payload\":null}");
        assertThat(json(end.payload())).isSameAs(MiniJson.NULL);
        ClientMessage.Relay scalar = (ClientMessage.Relay) decodeOk("{\"type\":\"offer\",\"to\":\"p\",\"payload\":\"s\"}");
        assertThat(json(scalar.payload())).isEqualTo("s");
    }

    @Test
    void aTargetThatCannotBeAPeerIdIsStillDecodedSoThatItIsPeerNotFound() {
        ClientMessage.Relay relay = (ClientMessage.Relay) decodeOk("{\"type\":\"offer\",\"to\":\"no such / peer\",\"payload\":1}");
        assertThat(relay.to()).isEqualTo("no such / peer");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not json", "{", "{\"type\":\"ping\"", "[]", "\"ping\"", "42", "null", "{}",
        "{\"type\":1}", "{\"type\":null}", "{\"type\":[\"ping\"]}",
        "{\"type\":\"join\"}", "{\"type\":\"join\",\"room\":1}", "{\"type\":\"join\",\"room\":null}",
        "{\"type\":\"offer\",\"payload\":{}}", "{\"type\":\"offer\",\"to\":5,\"payload\":{}}",
        "{\"type\":\"answer\",\"to\":\"p\"}", "{\"type\":\"candidate\",\"to\":null,\"payload\":{}}",
        "{\"type\":\"ping\",\"id\":5}", "{\"type\":\"ping\"} trailing"
    })
    void malformedFramesAreBadMessage(String text) {
        assertThat(decodeInvalid(text).code()).isEqualTo(ErrorCode.BAD_MESSAGE);
    }

    @Test
    void decodeErrorsCarryTheIdWhenItCanBeRead() {
        assertThat(decodeInvalid("{\"type\":\"join\",\"id\":\"a\"}")).isEqualTo(decodeInvalid("{\"type\":\"join\",\"id\":\"a\"}"))
                .extracting(Decoded.Invalid::id).isEqualTo("a");
        assertThat(decodeInvalid("{\"id\":\"b\"}").id()).isEqualTo("b");
        assertThat(decodeInvalid("{\"type\":\"offer\",\"to\":\"p\",\"id\":\"c\"}").id()).isEqualTo("c");
        assertThat(decodeInvalid("not json").id()).isNull();
    }

    @Test
    void anUnknownTypeIsUnknownType() {
        Decoded.Invalid invalid = decodeInvalid("{\"type\":\"dance\",\"id\":\"d\"}");
        assertThat(invalid.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(invalid.id()).isEqualTo("d");
        assertThat(decodeInvalid("{\"type\":\"welcome\"}").code()).as("server types are not client types")
                .isEqualTo(ErrorCode.UNKNOWN_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "slash/", "dot.", "\u00e9",
        "01234567890123456789012345678901234567890123456789012345678901234"})
    void aRoomOutsideThePatternIsInvalidRoom(String room) {
        Decoded.Invalid invalid = decodeInvalid("{\"type\":\"join\",\"room\":\"" + room + "\",\"id\":\"r\"}");
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_ROOM);
        assertThat(invalid.id()).isEqualTo("r");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        Decoded decoded = codec().decode("{\"type\":\"offer\",\"to\":\"p\",\"payload\":" + deep + "}");
        assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class,
                invalid -> assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_MESSAGE));
    }

    /** Payloads every codec must carry unchanged: escapes, unicode (escaped and raw), nesting, scalars. */
    public static final String[] PAYLOADS = {
        "{\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\"q\":\"\\\"\\\\\\/\\b\\f\\t\"}",
        "{\"name\":\"caf\u00e9 \u65e5\u672c \ud83d\ude00\",\"escaped\":\"\\u00e9\\ud83d\\ude00\\u0000\"}",
        "{\"a\":{\"b\":[1,{\"c\":[true,false,null,-0.5e-3]}]},\"e\":[],\"o\":{}}",
        "[1, 2 ,\n 3]", "\"just a string\"", "-12.5E+3", "true", "0"
    };

    @Test
    void relaysKeepEscapedUnicodeAndNestedPayloadsAsTheSameValue() {
        PeerId from = PeerId.of("sender_1"), to = PeerId.of("peer-1");
        for (String payload : PAYLOADS) {
            for (RelayKind kind : RelayKind.values()) {
                String frame = "{\"type\":\"" + kind.wire() + "\",\"to\":\"peer-1\",\"payload\":" + payload + "}";
                ClientMessage.Relay relay = (ClientMessage.Relay) decodeOk(frame);
                assertThat(json(relay.payload())).as(frame).isEqualTo(json(payload));
                @SuppressWarnings("unchecked")
                Map<String, Object> out = (Map<String, Object>) json(codec().encode(
                        new ServerMessage.Relayed(kind, from, to, relay.payload())));
                assertThat(out.get("payload")).as(frame).isEqualTo(json(payload));
            }
        }
    }

    @Test
    void aRelayedMessageCarriesTypeFromToAndPayloadOnlyWhateverTheClientAdded() {
        // The client's id, seq, unknown members and a `from` of its own never reach the recipient:
        // `from` is the server's (docs/protocol.md: relayed messages never carry the sender's id).
        String frame = "{\"id\":\"m-1\",\"type\":\"offer\",\"from\":\"mallory\",\"to\":\"peer-1\",\"seq\":7,"
                + "\"extra\":{\"k\":[1]},\"payload\":{\"sdp\":\"v=0\"},\"from\":\"mallory2\"}";
        ClientMessage.Relay relay = (ClientMessage.Relay) decodeOk(frame);
        assertThat(relay.to()).isEqualTo("peer-1");
        assertThat(relay.id()).isEqualTo("m-1");
        String text = codec().encode(new ServerMessage.Relayed(RelayKind.OFFER, PeerId.of("alice"), PeerId.of("peer-1"),
                relay.payload()));
        assertThat(json(text)).isEqualTo(json("{\"type\":\"offer\",\"from\":\"alice\",\"to\":\"peer-1\","
                + "\"payload\":{\"sdp\":\"v=0\"}}"));
        assertThat(text.split("\"from\"", -1)).as("one `from` member in %s", text).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"offer\",\"to\":\"a\",\"to\":\"b\",\"payload\":{}}",
        "{\"type\":\"offer\",\"to\":\"a\",\"payload\":{},\"payload\":[]}",
        "{\"type\":\"offer\",\"type\":\"answer\",\"to\":\"a\",\"payload\":{}}",
        "{\"type\":\"join\",\"room\":\"r\",\"room\":\"s\"}",
        "{\"type\":\"ping\",\"id\":\"a\",\"id\":\"b\"}"
    })
    void aMemberTheTypeUsesGivenTwiceIsBadMessage(String text) {
        assertThat(decodeInvalid(text).code()).isEqualTo(ErrorCode.BAD_MESSAGE);
    }

    @Test
    void duplicatesOfMembersTheTypeIgnoresAreIgnored() {
        assertThat(decodeOk("{\"type\":\"ping\",\"to\":1,\"to\":2,\"room\":[],\"room\":{}}"))
                .isEqualTo(new ClientMessage.Ping(null));
        assertThat(decodeOk("{\"type\":\"offer\",\"to\":\"p\",\"payload\":1,\"from\":\"x\",\"from\":\"y\"}"))
                .isInstanceOf(ClientMessage.Relay.class);
    }

    @Test
    void escapedNamesAndRoutingValuesMeanWhatTheyEscape() {
        assertThat(decodeOk("{\"t\\u0079pe\":\"ping\",\"id\":\"a\\\"b\\u00e9\"}")).isEqualTo(new ClientMessage.Ping("a\"b\u00e9"));
        ClientMessage.Relay relay = (ClientMessage.Relay) decodeOk(
                "{\"type\":\"o\\u0066fer\",\"to\":\"p\\u0031\",\"payload\":1}");
        assertThat(relay.kind()).isEqualTo(RelayKind.OFFER);
        assertThat(relay.to()).isEqualTo("p1");
        assertThat(decodeOk("{\"type\":\"ping\",\"id\":\"\u65e5\u672c\ud83d\ude00\"}"))
                .isEqualTo(new ClientMessage.Ping("\u65e5\u672c\ud83d\ude00"));
    }

    // ------------------------------------------------------------------ encoding

    @Test
    void encodesWelcomeWithTheLimits() {
        assertEncodes(new ServerMessage.Welcome(PeerId.of("p1"), new ServerMessage.Limits(65536, 16, 50, 100, 20000, 60000)),
                "{\"type\":\"welcome\",\"peerId\":\"p1\",\"limits\":{\"maxMessageBytes\":65536,\"maxPeersPerRoom\":16,"
                        + "\"messagesPerSecond\":50,\"burst\":100,\"pingIntervalMs\":20000,\"idleTimeoutMs\":60000}}");
        assertEncodes(new ServerMessage.Welcome(PeerId.of("p1"), new ServerMessage.Limits(1, 2, 0.5, 3, 4, 5)),
                "{\"type\":\"welcome\",\"peerId\":\"p1\",\"limits\":{\"maxMessageBytes\":1,\"maxPeersPerRoom\":2,"
                        + "\"messagesPerSecond\":0.5,\"burst\":3,\"pingIntervalMs\":4,\"idleTimeoutMs\":5}}");
    }

    @Test
    void encodesRoomMessages() {
        RoomId room = RoomId.of("r");
        assertEncodes(new ServerMessage.Joined("j", room, PeerId.of("me"), List.of(PeerId.of("x"), PeerId.of("y")), false),
                "{\"type\":\"joined\",\"id\":\"j\",\"room\":\"r\",\"peerId\":\"me\",\"peers\":[\"x\",\"y\"],\"polite\":false}");
        assertEncodes(new ServerMessage.Joined(null, room, PeerId.of("me"), List.of(), false),
                "{\"type\":\"joined\",\"room\":\"r\",\"peerId\":\"me\",\"peers\":[],\"polite\":false}");
        assertEncodes(new ServerMessage.PeerJoined(room, PeerId.of("n"), true),
                "{\"type\":\"peer-joined\",\"room\":\"r\",\"peerId\":\"n\",\"polite\":true}");
        for (LeaveReason reason : LeaveReason.values()) {
            assertEncodes(new ServerMessage.PeerLeft(room, PeerId.of("n"), reason),
                    "{\"type\":\"peer-left\",\"room\":\"r\",\"peerId\":\"n\",\"reason\":\"" + reason.wire() + "\"}");
        }
        assertEncodes(new ServerMessage.Left("l", room), "{\"type\":\"left\",\"id\":\"l\",\"room\":\"r\"}");
        assertEncodes(new ServerMessage.Left(null, room), "{\"type\":\"left\",\"room\":\"r\"}");
        assertEncodes(new ServerMessage.Left(null, room, LeaveReason.REMOVED),
                "{\"type\":\"left\",\"room\":\"r\",\"reason\":\"removed\"}");
        assertEncodes(new ServerMessage.Left("l", room, LeaveReason.LEAVE),
                "{\"type\":\"left\",\"id\":\"l\",\"room\":\"r\",\"reason\":\"leave\"}");
        assertEncodes(ServerMessage.GoAway.shutdown(), "{\"type\":\"goaway\",\"reason\":\"shutdown\",\"reconnect\":true}");
        assertEncodes(new ServerMessage.Pong("p"), "{\"type\":\"pong\",\"id\":\"p\"}");
        assertEncodes(new ServerMessage.Pong(null), "{\"type\":\"pong\"}");
    }

    @Test
    void encodesTheAuthenticationAndIceFieldsOnlyWhenPresent() {
        RoomId room = RoomId.of("r");
        ServerMessage.Limits limits = new ServerMessage.Limits(65536, 16, 50, 100, 20000, 60000);
        String limitsJson = "\"limits\":{\"maxMessageBytes\":65536,\"maxPeersPerRoom\":16,\"messagesPerSecond\":50,"
                + "\"burst\":100,\"pingIntervalMs\":20000,\"idleTimeoutMs\":60000}";
        List<io.signaling.domain.signaling.IceServer> ice = List.of(
                io.signaling.domain.signaling.IceServer.stun(List.of("stun:s.example:3478")),
                io.signaling.domain.signaling.IceServer.turn(List.of("turn:t.example:3478?transport=udp",
                        "turns:t.example:5349"), "1764979200:Qm9i", "c/+="));
        String iceJson = "\"iceServers\":[{\"urls\":[\"stun:s.example:3478\"]},{\"urls\":[\"turn:t.example:3478?transport=udp\","
                + "\"turns:t.example:5349\"],\"username\":\"1764979200:Qm9i\",\"credential\":\"c/+=\"}]";
        assertEncodes(new ServerMessage.Welcome(PeerId.of("me"), limits, "alice", ice),
                "{\"type\":\"welcome\",\"peerId\":\"me\"," + limitsJson + ",\"identity\":\"alice\"," + iceJson + "}");
        assertEncodes(new ServerMessage.Welcome(PeerId.of("me"), limits, null, List.of()),
                "{\"type\":\"welcome\",\"peerId\":\"me\"," + limitsJson + "}");
        assertEncodes(new ServerMessage.IceServers(ice), "{\"type\":\"ice-servers\"," + iceJson + "}");
        assertEncodes(new ServerMessage.Joined("j", room, PeerId.of("me"), List.of(PeerId.of("x"), PeerId.of("y")), false)
                        .withMembers(List.of(new ServerMessage.Member(PeerId.of("x"), "bob"),
                                new ServerMessage.Member(PeerId.of("y"), "carol"))),
                "{\"type\":\"joined\",\"id\":\"j\",\"room\":\"r\",\"peerId\":\"me\",\"peers\":[\"x\",\"y\"],\"polite\":false,"
                        + "\"members\":[{\"peerId\":\"x\",\"identity\":\"bob\"},{\"peerId\":\"y\",\"identity\":\"carol\"}]}");
        assertEncodes(new ServerMessage.PeerJoined(room, PeerId.of("n"), true, "dave"),
                "{\"type\":\"peer-joined\",\"room\":\"r\",\"peerId\":\"n\",\"polite\":true,\"identity\":\"dave\"}");
        assertEncodes(ServerMessage.Error.of(ErrorCode.FORBIDDEN, "no", null),
                "{\"type\":\"error\",\"code\":\"forbidden\",\"message\":\"no\"}");
    }

    @Test
    void encodesRelaysWithThePayloadUnchanged() {
        String payload = "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":0,\"q\":\"\\\"\\\\\"}";
        for (RelayKind kind : RelayKind.values()) {
            String text = codec().encode(new ServerMessage.Relayed(kind, PeerId.of("a"), PeerId.of("b"), payload));
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = (Map<String, Object>) json(text);
            assertThat(parsed).containsEntry("type", kind.wire()).containsEntry("from", "a").containsEntry("to", "b");
            assertThat(parsed.get("payload")).isEqualTo(json(payload));
        }
        assertEncodes(new ServerMessage.Relayed(RelayKind.CANDIDATE, PeerId.of("a"), PeerId.of("b"), "null"),
                "{\"type\":\"candidate\",\"from\":\"a\",\"to\":\"b\",\"payload\":null}");
    }

    @Test
    void encodesErrorsWithIdAndRetryAfterOnlyWhenPresent() {
        assertEncodes(ServerMessage.Error.of(ErrorCode.ROOM_FULL, "room 'r' is full", "i"),
                "{\"type\":\"error\",\"code\":\"room-full\",\"message\":\"room 'r' is full\",\"id\":\"i\"}");
        assertEncodes(ServerMessage.Error.of(ErrorCode.BAD_MESSAGE, "quote \" and \\ and \n", null),
                "{\"type\":\"error\",\"code\":\"bad-message\",\"message\":\"quote \\\" and \\\\ and \\n\"}");
        assertEncodes(new ServerMessage.Error(ErrorCode.RATE_LIMITED, "slow down", null, 120L),
                "{\"type\":\"error\",\"code\":\"rate-limited\",\"message\":\"slow down\",\"retryAfterMs\":120}");
        for (ErrorCode code : ErrorCode.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = (Map<String, Object>) json(codec().encode(ServerMessage.Error.of(code, "m", null)));
            assertThat(parsed).containsEntry("code", code.wire());
        }
    }

    @Test
    void encodedTextDecodesBackForTheSharedShapes() {
        String text = codec().encode(new ServerMessage.Pong("round"));
        assertThat(json(text)).isEqualTo(json("{\"type\":\"pong\",\"id\":\"round\"}"));
    }

    @Test
    void encodesTheResumeFieldsOfV11() {
        ServerMessage.Limits limits = new ServerMessage.Limits(65536, 16, 50, 100, 20000, 60000);
        String limitsJson = "\"limits\":{\"maxMessageBytes\":65536,\"maxPeersPerRoom\":16,\"messagesPerSecond\":50,"
                + "\"burst\":100,\"pingIntervalMs\":20000,\"idleTimeoutMs\":60000,\"resumeWindowMs\":15000}";
        ServerMessage.Welcome plain = new ServerMessage.Welcome(PeerId.of("me"), limits);
        assertEncodes(plain.withResume(new ServerMessage.Resume("tok-1", 15000, null, null, null)),
                "{\"type\":\"welcome\",\"peerId\":\"me\"," + limitsJson + ",\"resumeToken\":\"tok-1\"}");
        assertEncodes(plain.withResume(new ServerMessage.Resume("tok-2", 15000, false, null, null)),
                "{\"type\":\"welcome\",\"peerId\":\"me\"," + limitsJson + ",\"resumeToken\":\"tok-2\",\"resumed\":false}");
        assertEncodes(plain.withResume(new ServerMessage.Resume("tok-3", 15000, true, RoomId.of("r"), 7L)),
                "{\"type\":\"welcome\",\"peerId\":\"me\"," + limitsJson
                        + ",\"resumeToken\":\"tok-3\",\"resumed\":true,\"room\":\"r\",\"lastClientSeq\":7}");
        assertEncodes(plain.withResume(new ServerMessage.Resume("tok-4", 15000, true, null, 0L)),
                "{\"type\":\"welcome\",\"peerId\":\"me\"," + limitsJson
                        + ",\"resumeToken\":\"tok-4\",\"resumed\":true,\"room\":null,\"lastClientSeq\":0}");
        assertEncodes(new ServerMessage.GoAway("shutdown", true, "tok-5"),
                "{\"type\":\"goaway\",\"reason\":\"shutdown\",\"reconnect\":true,\"resumeToken\":\"tok-5\"}");
    }

    @Test
    void sequencedAddsSeqToAnEncodedMessage() {
        String text = codec().sequenced(codec().encode(new ServerMessage.Pong("p")), 42);
        assertThat(json(text)).isEqualTo(json("{\"type\":\"pong\",\"id\":\"p\",\"seq\":42}"));
    }

    @Test
    void decodesTheClientSeq() {
        assertThat(seqOf("{\"type\":\"ping\",\"seq\":1}")).isEqualTo(1);
        assertThat(seqOf("{\"type\":\"offer\",\"to\":\"p\",\"payload\":{},\"seq\":9007199254740991}"))
                .isEqualTo(9007199254740991L);
        assertThat(seqOf("{\"type\":\"join\",\"room\":\"r\"}")).isEqualTo(Decoded.Message.NO_SEQ);
        for (String bad : List.of("0", "-1", "1.5", "\"3\"", "null", "9007199254740992", "[1]", "1e3")) {
            assertThat(seqOf("{\"type\":\"ping\",\"seq\":" + bad + "}")).as(bad).isEqualTo(Decoded.Message.INVALID_SEQ);
        }
    }

    private long seqOf(String text) {
        Decoded decoded = codec().decode(text);
        assertThat(decoded).as(text).isInstanceOf(Decoded.Message.class);
        return ((Decoded.Message) decoded).seq();
    }
}
