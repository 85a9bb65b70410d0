package io.signaling.adapter.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.RelayKind;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.ports.signaling.Decoded;
import io.signaling.ports.signaling.MessageCodec;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames built to hurt: deep nesting, huge strings and numbers, broken Unicode, random garbage. */
class JacksonMessageCodecHostileInputTest {

    private final MessageCodec codec = JacksonCodecs.messageCodec();

    private static String offerWithPayload(String payload) {
        return "{\"type\":\"offer\",\"to\":\"p\",\"id\":\"h\",\"payload\":" + payload + "}";
    }

    private static Decoded.Invalid assertBad(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
        Decoded.Invalid invalid = (Decoded.Invalid) decoded;
        assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_MESSAGE);
        return invalid;
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "{\"a\":"})
    void nestingTenThousandDeepIsBadMessageNotAStackOverflow(String opener) {
        String closer = opener.equals("[") ? "]" : "}";
        String deep = opener.repeat(10_000) + "1" + closer.repeat(10_000);
        Decoded.Invalid invalid = assertBad(codec.decode(offerWithPayload(deep)));
        assertThat(invalid.message()).isEqualTo("message nests too deeply: a value may nest at most 32 levels inside the message object");
        assertThat(invalid.id()).isEqualTo("h");
        assertBad(codec.decode("{\"type\":\"ping\",\"junk\":" + deep + "}"));
        assertBad(codec.decode(deep));
    }

    @Test
    void aPayloadMayNestExactlyToTheLimit() {
        String atLimit = "[".repeat(32) + "]".repeat(32);
        assertThat(codec.decode(offerWithPayload(atLimit)))
                .isEqualTo(new Decoded.Message(new ClientMessage.Relay("h", RelayKind.OFFER, "p", atLimit)));
        String overLimit = "[".repeat(33) + "]".repeat(33);
        assertBad(codec.decode(offerWithPayload(overLimit)));

        MessageCodec shallow = JacksonCodecs.builder().maxPayloadDepth(2).build();
        assertThat(shallow.decode(offerWithPayload("{\"a\":[1]}"))).isInstanceOf(Decoded.Message.class);
        assertThat(assertBad(shallow.decode(offerWithPayload("{\"a\":[[1]]}"))).message()).endsWith("at most 2 levels inside the message object");
    }

    @Test
    void aOneMegabyteStringWithinTheLimitsIsKeptWhole() {
        String big = "\"" + "a\u00e9\\n".repeat(250_000) + "\"";
        Decoded decoded = codec.decode(offerWithPayload(big));
        assertThat(decoded).isInstanceOfSatisfying(Decoded.Message.class,
                m -> assertThat(((ClientMessage.Relay) m.message()).payload()).isEqualTo(big));
        String bigId = "i".repeat(1_000_000);
        assertThat(codec.decode("{\"type\":\"ping\",\"id\":\"" + bigId + "\"}")).isEqualTo(new Decoded.Message(new ClientMessage.Ping(bigId)));
    }

    @Test
    void stringsAndFramesBeyondTheConfiguredSizeAreBadMessage() {
        MessageCodec small = JacksonCodecs.builder().maxMessageChars(1000).build();
        String oversized = offerWithPayload("\"" + "x".repeat(1001) + "\"");
        Decoded.Invalid invalid = assertBad(small.decode(oversized));
        assertThat(invalid.message()).isEqualTo("message is " + oversized.length() + " characters long; at most 1000 are allowed");
        assertThat(invalid.id()).as("nothing of an oversized frame is read").isNull();
        assertBad(small.decode("{\"type\":\"ping\",\"junk\":[" + "1,".repeat(600) + "1]}"));
        assertThat(small.decode(offerWithPayload("\"" + "x".repeat(900) + "\""))).isInstanceOf(Decoded.Message.class);
    }

    @Test
    void hugeNumbersAndNamesAreBadMessage() {
        assertThat(assertBad(codec.decode(offerWithPayload("1" + "0".repeat(101)))).message())
                .startsWith("message exceeds a limit: Number value length (102) exceeds the maximum allowed (100")
                .doesNotContain("StreamReadConstraints");
        assertThat(codec.decode(offerWithPayload("1" + "0".repeat(99)))).isInstanceOf(Decoded.Message.class);
        assertBad(codec.decode("{\"type\":\"ping\",\"" + "n".repeat(2000) + "\":1}"));
        assertThat(codec.decode("{\"type\":\"ping\",\"" + "n".repeat(1000) + "\":1}")).isInstanceOf(Decoded.Message.class);
    }

    @Test
    void loneSurrogatesNeverBreakDecodingOrEncoding() {
        // Escaped in JSON, raw in the Java string (as a buggy transport could hand over), and in every field.
        List<String> frames = List.of(
                "{\"type\":\"dance\",\"id\":\"\\ud800\"}",
                "{\"type\":\"join\",\"room\":\"\\udc00\",\"id\":\"x\\ud800\"}",
                "{\"type\":\"join\",\"room\":\"\udc00\"}",
                "{\"type\":\"ping\",\"id\":\"\ud800\"}",
                "{\"type\":\"offer\",\"to\":\"\udfff\",\"payload\":\"\\ud800\ud800\"}",
                "{\"type\":\"\\ud800\"}",
                "{\"type\":\"ping\",\"\ud800\":\"\\udbff\"}");
        for (String frame : frames) {
            Decoded decoded = codec.decode(frame);
            String id = decoded instanceof Decoded.Invalid i ? i.id()
                    : ((Decoded.Message) decoded).message().id();
            String out = codec.encode(ServerMessage.Error.of(ErrorCode.BAD_MESSAGE,
                    decoded instanceof Decoded.Invalid i ? i.message() : "ok", id));
            assertThat(isEncodableAsUtf8(out)).as("%s encodes to valid UTF-8: %s", frame, out).isTrue();
        }
        Decoded.Invalid echoed = (Decoded.Invalid) codec.decode(frames.get(0));
        assertThat(echoed.id()).isEqualTo("\ud800");
        assertThat(codec.encode(ServerMessage.Error.of(ErrorCode.UNKNOWN_TYPE, "m", echoed.id()))).contains("\"id\":\"\\uD800\"");
    }

    private static boolean isEncodableAsUtf8(String text) {
        try {
            StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void randomMutationsOfValidFramesNeverThrow() {
        List<String> seeds = List.of(
                "{\"type\":\"join\",\"room\":\"r\",\"id\":\"1\"}",
                "{\"type\":\"offer\",\"to\":\"p\",\"payload\":{\"sdp\":\"v=0\\r\\n\",\"a\":[1,2.5e3,true,null]}}",
                "{\"type\":\"candidate\",\"to\":\"p\",\"payload\":null}",
                "{\"type\":\"ping\"}");
        String alphabet = "{}[]\",:\\0123456789.eE+-tfnul \u00e9\ud800\udc00\u0000\n";
        Random random = new Random(20261126L);
        int messages = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder frame = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && frame.length() > 0; e++) {
                int at = random.nextInt(frame.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> frame.setCharAt(at, c);
                    case 1 -> frame.insert(at, c);
                    default -> frame.deleteCharAt(at);
                }
            }
            Decoded decoded = codec.decode(frame.toString());
            assertThat(decoded).isNotNull();
            if (decoded instanceof Decoded.Invalid invalid) {
                assertThat(invalid.message()).isNotBlank();
            } else {
                messages++;
            }
        }
        assertThat(messages).as("some mutations stay valid, so both paths were exercised").isPositive();
    }

    @Test
    void theBuilderRefusesNonPositiveLimits() {
        assertThatThrownBy(() -> JacksonCodecs.builder().maxPayloadDepth(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadDepth");
        assertThatThrownBy(() -> JacksonCodecs.builder().maxMessageChars(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageChars");
        assertThatThrownBy(() -> JacksonCodecs.builder().maxNumberLength(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxNumberLength");
    }
}
