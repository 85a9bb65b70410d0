package io.signaling.adapter.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.ports.signaling.Decoded;
import io.signaling.ports.signaling.MessageCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the signaling message decoder. Regression mode (every build) replays the committed inputs
 * under {@code src/test/resources/.../JacksonMessageCodecFuzzTestInputs/<method>/}: protocol
 * examples, real browser SDP offers, answers and candidates, and every past finding. Fuzzing mode
 * ({@code JAZZER_FUZZ=1}, one test at a time) mutates from them; see docs/reliability.md.
 *
 * <p>The input is a byte array decoded as UTF-8, as a WebSocket text frame is, so a seed file is the
 * frame exactly as a client sends it. Limits are set low here so that the fuzzer reaches them with
 * small inputs; the production defaults differ only in the numbers.
 *
 * <p>Properties: decoding never throws (every failure is a {@link Decoded.Invalid}); a frame over
 * the length limit or nesting deeper than the payload limit is {@code bad-message}; an accepted
 * frame is one JSON object to an independent parser; an accepted relay's payload is exactly one
 * JSON value that encodes back unchanged, and decode → encode → decode → encode is stable; the
 * scanner's fast path gives exactly the full parser's result (message or error, word for word); ids,
 * rooms and error messages survive encoding (lone surrogates included) and encode to JSON an
 * independent parser reads back to the same strings.
 */
class JacksonMessageCodecFuzzTest {

    private static final int MAX_CHARS = 16_384;
    private static final int MAX_PAYLOAD_DEPTH = 6;
    private static final MessageCodec CODEC = JacksonCodecs.builder()
            .maxMessageChars(MAX_CHARS)
            .maxPayloadDepth(MAX_PAYLOAD_DEPTH)
            .build();
    /** An independent reader with generous limits, so it never refuses what the codec accepted. */
    private static final ObjectMapper JSON = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build())
                    .build())
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final PeerId SENDER = PeerId.of("fuzz-sender");

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] frame) throws IOException {
        String text = new String(frame, StandardCharsets.UTF_8);
        // Anything thrown here fails the fuzz test: the contract is that decode never throws.
        Decoded decoded = CODEC.decode(text);
        assertThat(decoded).isNotNull();

        if (text.length() > MAX_CHARS) {
            assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class,
                    invalid -> assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_MESSAGE));
            return;
        }
        // The fast path decides nothing the full parser would decide otherwise.
        assertThat(decoded).as("fast path against the parser for %s", text)
                .isEqualTo(((JacksonMessageCodec) CODEC).decodeWithParser(text));
        if (decoded instanceof Decoded.Invalid invalid) {
            checkInvalid(invalid);
        } else {
            Decoded.Message accepted = (Decoded.Message) decoded;
            JsonNode tree = JSON.readTree(text);
            assertThat(tree.isObject()).as("an accepted frame is one JSON object: %s", text).isTrue();
            assertThat(depth(text)).as("an accepted frame nests within the limit").isLessThanOrEqualTo(MAX_PAYLOAD_DEPTH + 1);
            checkMessage(accepted.message(), tree);
        }
    }

    private static void checkInvalid(Decoded.Invalid invalid) throws IOException {
        assertThat(invalid.code()).isNotNull();
        assertThat(invalid.message()).isNotBlank();
        // The error goes back to the client: it must encode, parse, and keep its strings intact.
        String wire = CODEC.encode(new ServerMessage.Error(invalid.code(), invalid.message(), invalid.id(), null));
        JsonNode error = JSON.readTree(wire);
        assertThat(error.get("code").asText()).isEqualTo(invalid.code().wire());
        assertThat(error.get("message").asText()).isEqualTo(invalid.message());
        assertIdEchoed(wire, invalid.id());
    }

    private static void checkMessage(ClientMessage message, JsonNode tree) throws IOException {
        if (message instanceof ClientMessage.Relay relay) {
            checkRelay(relay);
        } else if (message instanceof ClientMessage.Join join) {
            assertThat(tree.get("room").asText()).isEqualTo(join.room().value());
            String wire = CODEC.encode(new ServerMessage.Joined(join.id(), join.room(), SENDER, List.of(), false));
            JsonNode joined = JSON.readTree(wire);
            assertThat(joined.get("room").asText()).isEqualTo(join.room().value());
            assertIdEchoed(wire, join.id());
        } else if (message instanceof ClientMessage.Ping ping) {
            assertIdEchoed(CODEC.encode(new ServerMessage.Pong(ping.id())), ping.id());
        } else if (message instanceof ClientMessage.Leave leave) {
            assertIdEchoed(CODEC.encode(new ServerMessage.Pong(leave.id())), leave.id());
        }
    }

    private static void checkRelay(ClientMessage.Relay relay) throws IOException {
        // The payload is the sender's text of exactly one JSON value, nested within the limit.
        assertThat(JSON.readTree(relay.payload())).as("payload %s", relay.payload()).isNotNull();
        assertThat(depth(relay.payload())).isLessThanOrEqualTo(MAX_PAYLOAD_DEPTH);
        if (!PeerId.isValid(relay.to())) {
            return; // The service answers peer-not-found; nothing is encoded for this target.
        }
        // decode → encode → decode → encode: the relayed frame decodes to the same relay and
        // re-encodes to the same text, so a payload survives any number of hops unchanged.
        String once = CODEC.encode(new ServerMessage.Relayed(relay.kind(), SENDER, PeerId.of(relay.to()), relay.payload()));
        Decoded again = CODEC.decode(once);
        assertThat(again).as("re-decoding %s", once)
                .isEqualTo(new Decoded.Message(new ClientMessage.Relay(null, relay.kind(), relay.to(), relay.payload())));
        ClientMessage.Relay second = (ClientMessage.Relay) ((Decoded.Message) again).message();
        String twice = CODEC.encode(new ServerMessage.Relayed(second.kind(), SENDER, PeerId.of(second.to()), second.payload()));
        assertThat(twice).isEqualTo(once);
        JsonNode relayed = JSON.readTree(once);
        assertThat(relayed.get("payload")).isEqualTo(JSON.readTree(relay.payload()));
    }

    /** The id written by the encoder reads back, through the codec itself, as the same string. */
    private static void assertIdEchoed(String wire, String id) throws IOException {
        JsonNode node = JSON.readTree(wire);
        if (id == null) {
            assertThat(node.has("id")).isFalse();
            return;
        }
        assertThat(node.get("id").asText()).isEqualTo(id);
        // Server messages are unknown types to the client decoder, which still echoes the id.
        Decoded back = CODEC.decode(wire);
        assertThat(back).isInstanceOfSatisfying(Decoded.Invalid.class, invalid -> assertThat(invalid.id()).isEqualTo(id));
    }

    /** Deepest nesting of arrays and objects in a valid JSON text, by an independent tokenizer. */
    private static int depth(String json) throws IOException {
        int depth = 0;
        int max = 0;
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token.isStructStart()) {
                    max = Math.max(max, ++depth);
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        }
        return max;
    }
}
