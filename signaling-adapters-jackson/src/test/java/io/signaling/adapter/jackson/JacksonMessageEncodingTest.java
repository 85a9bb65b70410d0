package io.signaling.adapter.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.LeaveReason;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RelayKind;
import io.signaling.domain.signaling.RoomId;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.ports.signaling.Decoded;
import io.signaling.ports.signaling.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every server message, read back by an independent parser (Jackson's tree model) field by field. */
class JacksonMessageEncodingTest {

    private static final ObjectMapper TREE = new ObjectMapper();
    private static final RoomId ROOM = RoomId.of("room-1");
    private static final PeerId ME = PeerId.of("me_1");
    private static final PeerId OTHER = PeerId.of("other-2");

    private final MessageCodec codec = JacksonCodecs.messageCodec();

    private JsonNode encode(ServerMessage message) throws Exception {
        return TREE.readTree(codec.encode(message));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void welcomeCarriesThePeerIdAndEveryLimit() throws Exception {
        JsonNode node = encode(new ServerMessage.Welcome(ME, new ServerMessage.Limits(65536, 16, 50, 100, 20000, 60000)));
        assertThat(fieldNames(node)).containsExactly("type", "peerId", "limits");
        assertThat(node.get("type").asText()).isEqualTo("welcome");
        assertThat(node.get("peerId").asText()).isEqualTo("me_1");
        JsonNode limits = node.get("limits");
        assertThat(fieldNames(limits)).containsExactlyInAnyOrder("maxMessageBytes", "maxPeersPerRoom", "messagesPerSecond",
                "burst", "pingIntervalMs", "idleTimeoutMs");
        assertThat(limits.get("maxMessageBytes").isIntegralNumber()).isTrue();
        assertThat(limits.get("maxMessageBytes").asLong()).isEqualTo(65536);
        assertThat(limits.get("maxPeersPerRoom").asLong()).isEqualTo(16);
        assertThat(limits.get("messagesPerSecond").isIntegralNumber()).as("a whole rate is written as an integer").isTrue();
        assertThat(limits.get("messagesPerSecond").asLong()).isEqualTo(50);
        assertThat(limits.get("burst").asLong()).isEqualTo(100);
        assertThat(limits.get("pingIntervalMs").asLong()).isEqualTo(20000);
        assertThat(limits.get("idleTimeoutMs").asLong()).isEqualTo(60000);
        assertThat(codec.encode(new ServerMessage.Welcome(ME, new ServerMessage.Limits(65536, 16, 50, 100, 20000, 60000))))
                .contains("\"messagesPerSecond\":50,");
    }

    @Test
    void aFractionalRateIsWrittenAsAFraction() throws Exception {
        JsonNode limits = encode(new ServerMessage.Welcome(ME, new ServerMessage.Limits(1, 2, 0.25, 3, 4, 5))).get("limits");
        assertThat(limits.get("messagesPerSecond").isFloatingPointNumber()).isTrue();
        assertThat(limits.get("messagesPerSecond").asDouble()).isEqualTo(0.25);
        assertThatThrownBy(() -> codec.encode(new ServerMessage.Welcome(ME, new ServerMessage.Limits(1, 2, Double.NaN, 3, 4, 5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messagesPerSecond");
    }

    @Test
    void thePlainWelcomeIsTheSameTextWhateverTheLimitsBeforeIt() throws Exception {
        ServerMessage.Limits standard = new ServerMessage.Limits(65536, 16, 50, 100, 20000, 60000);
        ServerMessage.Limits fractional = new ServerMessage.Limits(1, 2, 0.25, 3, 4, 5);
        String standardText = "{\"type\":\"welcome\",\"peerId\":\"me_1\",\"limits\":{\"maxMessageBytes\":65536,"
                + "\"maxPeersPerRoom\":16,\"messagesPerSecond\":50,\"burst\":100,\"pingIntervalMs\":20000,"
                + "\"idleTimeoutMs\":60000}}";
        String fractionalText = "{\"type\":\"welcome\",\"peerId\":\"other-2\",\"limits\":{\"maxMessageBytes\":1,"
                + "\"maxPeersPerRoom\":2,\"messagesPerSecond\":0.25,\"burst\":3,\"pingIntervalMs\":4,\"idleTimeoutMs\":5}}";
        // Alternating limits, a refused one in between, and ids of other lengths: each text exact.
        for (int round = 0; round < 3; round++) {
            assertThat(codec.encode(new ServerMessage.Welcome(ME, standard))).isEqualTo(standardText);
            assertThat(codec.encode(new ServerMessage.Welcome(OTHER, fractional))).isEqualTo(fractionalText);
            assertThatThrownBy(() -> codec.encode(new ServerMessage.Welcome(ME,
                    new ServerMessage.Limits(1, 2, Double.POSITIVE_INFINITY, 3, 4, 5))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(codec.encode(new ServerMessage.Welcome(ME, new ServerMessage.Limits(65536, 16, 50, 100, 20000, 60000))))
                    .isEqualTo(standardText);
        }
        assertThat(codec.encode(new ServerMessage.Welcome(PeerId.of("p"), standard)))
                .isEqualTo(standardText.replace("me_1", "p"));
        // With an identity the welcome takes the general path: the same layout, one more member.
        assertThat(codec.encode(new ServerMessage.Welcome(ME, standard, "alice", List.of())))
                .isEqualTo(standardText.substring(0, standardText.length() - 1) + ",\"identity\":\"alice\"}");
    }

    @Test
    void joinedListsThePeersInOrderAndEchoesTheIdOnlyWhenPresent() throws Exception {
        JsonNode node = encode(new ServerMessage.Joined("j1", ROOM, ME, List.of(OTHER, PeerId.of("third")), false));
        assertThat(fieldNames(node)).containsExactlyInAnyOrder("type", "id", "room", "peerId", "peers", "polite");
        assertThat(node.get("type").asText()).isEqualTo("joined");
        assertThat(node.get("id").asText()).isEqualTo("j1");
        assertThat(node.get("room").asText()).isEqualTo("room-1");
        assertThat(node.get("peerId").asText()).isEqualTo("me_1");
        assertThat(node.get("peers").isArray()).isTrue();
        assertThat(node.get("peers")).extracting(JsonNode::asText).containsExactly("other-2", "third");
        assertThat(node.get("polite").isBoolean()).isTrue();
        assertThat(node.get("polite").booleanValue()).isFalse();

        JsonNode alone = encode(new ServerMessage.Joined(null, ROOM, ME, List.of(), false));
        assertThat(fieldNames(alone)).containsExactlyInAnyOrder("type", "room", "peerId", "peers", "polite");
        assertThat(alone.get("peers").isArray()).isTrue();
        assertThat(alone.get("peers")).isEmpty();
    }

    @Test
    void peerJoinedAndPeerLeftNameTheRoomAndThePeer() throws Exception {
        JsonNode joined = encode(new ServerMessage.PeerJoined(ROOM, OTHER, true));
        assertThat(fieldNames(joined)).containsExactlyInAnyOrder("type", "room", "peerId", "polite");
        assertThat(joined.get("type").asText()).isEqualTo("peer-joined");
        assertThat(joined.get("peerId").asText()).isEqualTo("other-2");
        assertThat(joined.get("polite").booleanValue()).isTrue();
        for (LeaveReason reason : LeaveReason.values()) {
            JsonNode left = encode(new ServerMessage.PeerLeft(ROOM, OTHER, reason));
            assertThat(fieldNames(left)).containsExactlyInAnyOrder("type", "room", "peerId", "reason");
            assertThat(left.get("type").asText()).isEqualTo("peer-left");
            assertThat(left.get("room").asText()).isEqualTo("room-1");
            assertThat(left.get("reason").asText()).isEqualTo(reason.wire());
        }
    }

    @Test
    void goawayLeftAndPong() throws Exception {
        JsonNode goaway = encode(ServerMessage.GoAway.shutdown());
        assertThat(fieldNames(goaway)).containsExactlyInAnyOrder("type", "reason", "reconnect");
        assertThat(goaway.get("reason").asText()).isEqualTo("shutdown");
        assertThat(goaway.get("reconnect").isBoolean()).isTrue();
        assertThat(goaway.get("reconnect").booleanValue()).isTrue();

        JsonNode left = encode(new ServerMessage.Left("l", ROOM));
        assertThat(fieldNames(left)).containsExactlyInAnyOrder("type", "id", "room");
        assertThat(left.get("type").asText()).isEqualTo("left");
        assertThat(fieldNames(encode(new ServerMessage.Left(null, ROOM)))).containsExactlyInAnyOrder("type", "room");

        assertThat(codec.encode(new ServerMessage.Pong(null))).isEqualTo("{\"type\":\"pong\"}");
        assertThat(codec.encode(new ServerMessage.Pong("p\"1"))).isEqualTo("{\"type\":\"pong\",\"id\":\"p\\\"1\"}");
    }

    @Test
    void errorsCarryCodeMessageAndOnlyThePresentOptionalFields() throws Exception {
        for (ErrorCode code : ErrorCode.values()) {
            JsonNode node = encode(ServerMessage.Error.of(code, "why", null));
            assertThat(fieldNames(node)).containsExactlyInAnyOrder("type", "code", "message");
            assertThat(node.get("type").asText()).isEqualTo("error");
            assertThat(node.get("code").asText()).isEqualTo(code.wire());
        }
        JsonNode limited = encode(new ServerMessage.Error(ErrorCode.RATE_LIMITED, "slow down", "r1", 250L));
        assertThat(fieldNames(limited)).containsExactlyInAnyOrder("type", "code", "message", "id", "retryAfterMs");
        assertThat(limited.get("retryAfterMs").isIntegralNumber()).isTrue();
        assertThat(limited.get("retryAfterMs").asLong()).isEqualTo(250);
        assertThat(limited.get("id").asText()).isEqualTo("r1");

        String hostile = "line\nbreak \"quoted\" back\\slash tab\t nul\u0000 </script> \u2028 \ud83d\ude00";
        assertThat(encode(ServerMessage.Error.of(ErrorCode.BAD_MESSAGE, hostile, hostile)).get("message").asText()).isEqualTo(hostile);
        assertThat(encode(ServerMessage.Error.of(ErrorCode.BAD_MESSAGE, hostile, hostile)).get("id").asText()).isEqualTo(hostile);
    }

    @Test
    void relaysWriteThePayloadTextUnchanged() throws Exception {
        String payload = "{ \"sdp\" : \"v=0\\r\\n\\u00e9\",\"n\":123456789012345678901234567890, \"x\":[ 1.50 ,-0] }";
        for (RelayKind kind : RelayKind.values()) {
            String text = codec.encode(new ServerMessage.Relayed(kind, ME, OTHER, payload));
            assertThat(text).isEqualTo("{\"type\":\"" + kind.wire() + "\",\"from\":\"me_1\",\"to\":\"other-2\",\"payload\":" + payload + "}");
            JsonNode node = TREE.readTree(text);
            assertThat(fieldNames(node)).containsExactly("type", "from", "to", "payload");
            assertThat(node.get("payload")).isEqualTo(TREE.readTree(payload));
        }
        assertThat(encode(new ServerMessage.Relayed(RelayKind.CANDIDATE, ME, OTHER, "null")).get("payload").isNull()).isTrue();
    }

    @Test
    void aDecodedRelayRoundTripsByteForByte() {
        String payload = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\na=ice-ufrag:F7gI\\r\\n\", \"big\": 1E+400,\"u\":\"\\ud83d\\ude00\"}";
        Decoded decoded = codec.decode("{\"type\":\"offer\",\"id\":\"o1\",\"to\":\"other-2\",\"payload\":" + payload + "}");
        ClientMessage.Relay relay = (ClientMessage.Relay) ((Decoded.Message) decoded).message();
        String out = codec.encode(new ServerMessage.Relayed(relay.kind(), ME, PeerId.of(relay.to()), relay.payload()));
        assertThat(out).endsWith(",\"payload\":" + payload + "}");

        Decoded back = codec.decode(out);
        assertThat(back).as("relayed text is itself a well-formed relay frame")
                .isEqualTo(new Decoded.Message(new ClientMessage.Relay(null, RelayKind.OFFER, "other-2", payload)));
    }

    @Test
    void oneCodecServesManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String payload = "{\"n\":" + thread + ",\"i\":" + i + "}";
                        Decoded decoded = codec.decode("{\"type\":\"answer\",\"to\":\"p" + thread + "\",\"payload\":" + payload + "}");
                        ClientMessage.Relay relay = (ClientMessage.Relay) ((Decoded.Message) decoded).message();
                        String out = codec.encode(new ServerMessage.Relayed(RelayKind.ANSWER, ME, PeerId.of(relay.to()), relay.payload()));
                        if (!relay.payload().equals(payload) || !out.contains("\"to\":\"p" + thread + "\",\"payload\":" + payload)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** What the generator wrote for a relay before relays bypassed it: the wire text must not change. */
    private static String generatorRelay(ServerMessage.Relayed r) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", r.type());
            g.writeStringField("from", r.from().value());
            g.writeStringField("to", r.to().value());
            g.writeFieldName("payload");
            g.writeRawValue(r.payload());
            g.writeEndObject();
        }
        return out.toString();
    }

    @Test
    void relaysAreTheGeneratorsTextByteForByte() throws Exception {
        for (String payload : io.signaling.ports.signaling.MessageCodecContract.PAYLOADS) {
            for (RelayKind kind : RelayKind.values()) {
                ServerMessage.Relayed relayed = new ServerMessage.Relayed(kind, ME, OTHER, payload);
                assertThat(codec.encode(relayed)).isEqualTo(generatorRelay(relayed));
            }
        }
    }

    @Test
    void sequencedAppendsSeqAsTheLastMemberAsTheGeneralRuleDoes() {
        MessageCodec general = new MessageCodec() {
            @Override
            public Decoded decode(String text) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String encode(ServerMessage message) {
                throw new UnsupportedOperationException();
            }
        };
        String big = "x".repeat(40_000);
        List<String> texts = List.of(
                codec.encode(new ServerMessage.Relayed(RelayKind.OFFER, ME, OTHER, "{\"sdp\":\"caf\u00e9 \ud83d\ude00\"}")),
                codec.encode(new ServerMessage.Relayed(RelayKind.CANDIDATE, ME, OTHER, "\"" + big + "\"")),
                codec.encode(new ServerMessage.Pong("p")),
                codec.encode(new ServerMessage.Pong(null)));
        for (long seq : new long[] {1, 42, 9_007_199_254_740_991L}) {
            for (String text : texts) {
                // Twice: the thread's builder is reused, and must not carry the first text over.
                assertThat(codec.sequenced(text, seq)).isEqualTo(general.sequenced(text, seq));
                assertThat(codec.sequenced(text, seq)).isEqualTo(general.sequenced(text, seq));
            }
        }
        assertThatThrownBy(() -> codec.sequenced("[1]", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
