package io.signaling.adapter.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.RelayKind;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.signaling.Decoded;
import io.signaling.ports.signaling.MessageCodec;
import io.signaling.ports.signaling.MessageCodecContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared codec contract, plus the Jackson codec's own decoding promises: exact messages, duplicates, raw payloads. */
class JacksonMessageCodecTest extends MessageCodecContract {

    private final MessageCodec codec = JacksonCodecs.messageCodec();

    @Override
    protected MessageCodec codec() {
        return codec;
    }

    private ClientMessage ok(String text) {
        Decoded decoded = codec.decode(text);
        assertThat(decoded).as("decoding %s", text).isInstanceOf(Decoded.Message.class);
        return ((Decoded.Message) decoded).message();
    }

    private Decoded.Invalid invalid(String text) {
        Decoded decoded = codec.decode(text);
        assertThat(decoded).as("decoding %s", text).isInstanceOf(Decoded.Invalid.class);
        return (Decoded.Invalid) decoded;
    }

    @Test
    void decodesEveryClientType() {
        assertThat(ok("{\"type\":\"join\",\"room\":\"a-B_9\",\"id\":\"1\"}"))
                .isEqualTo(new ClientMessage.Join("1", RoomId.of("a-B_9")));
        assertThat(ok("{\"id\":\"2\",\"type\":\"leave\"}")).isEqualTo(new ClientMessage.Leave("2"));
        assertThat(ok("{\"type\":\"ping\"}")).isEqualTo(new ClientMessage.Ping(null));
        assertThat(ok("{\"payload\":{\"sdp\":\"v=0\"},\"to\":\"bob\",\"type\":\"offer\"}"))
                .isEqualTo(new ClientMessage.Relay(null, RelayKind.OFFER, "bob", "{\"sdp\":\"v=0\"}"));
        assertThat(ok("{\"type\":\"answer\",\"to\":\"bob\",\"payload\":{\"type\":\"answer\"},\"id\":\"3\"}"))
                .isEqualTo(new ClientMessage.Relay("3", RelayKind.ANSWER, "bob", "{\"type\":\"answer\"}"));
        assertThat(ok("{\"type\":\"candidate\",\"to\":\"bob\",\"payload\":null}"))
                .isEqualTo(new ClientMessage.Relay(null, RelayKind.CANDIDATE, "bob", "null"));
        assertThat(ok("{\"type\":\"offer\",\"to\":\"bob\",\"payload\":null}"))
                .as("the contract allows any JSON value, null included, for offer and answer too")
                .isEqualTo(new ClientMessage.Relay(null, RelayKind.OFFER, "bob", "null"));
    }

    static Stream<Arguments> badMessages() {
        return Stream.of(
                Arguments.of("", "message is empty; expected a JSON object"),
                Arguments.of("   ", "message is empty; expected a JSON object"),
                Arguments.of("[]", "message must be a JSON object, got an array"),
                Arguments.of("[{\"type\":\"ping\"}]", "message must be a JSON object, got an array"),
                Arguments.of("42", "message must be a JSON object, got a number"),
                Arguments.of("\"ping\"", "message must be a JSON object, got a string"),
                Arguments.of("null", "message must be a JSON object, got null"),
                Arguments.of("true", "message must be a JSON object, got a boolean"),
                Arguments.of("{}", "field 'type' is required"),
                Arguments.of("{\"type\":1}", "field 'type' must be a string, got a number"),
                Arguments.of("{\"type\":null}", "field 'type' must be a string, got null"),
                Arguments.of("{\"type\":[\"ping\"]}", "field 'type' must be a string, got an array"),
                Arguments.of("{\"type\":{\"t\":\"ping\"}}", "field 'type' must be a string, got an object"),
                Arguments.of("{\"type\":\"join\"}", "field 'room' is required"),
                Arguments.of("{\"type\":\"join\",\"room\":true}", "field 'room' must be a string, got a boolean"),
                Arguments.of("{\"type\":\"join\",\"room\":null}", "field 'room' must be a string, got null"),
                Arguments.of("{\"type\":\"offer\",\"payload\":{}}", "field 'to' is required"),
                Arguments.of("{\"type\":\"offer\",\"to\":5,\"payload\":{}}", "field 'to' must be a string, got a number"),
                Arguments.of("{\"type\":\"answer\",\"to\":[\"p\"],\"payload\":{}}", "field 'to' must be a string, got an array"),
                Arguments.of("{\"type\":\"candidate\",\"to\":null,\"payload\":{}}", "field 'to' must be a string, got null"),
                Arguments.of("{\"type\":\"answer\",\"to\":\"p\"}", "field 'payload' is required"),
                Arguments.of("{\"type\":\"ping\",\"id\":5}", "field 'id' must be a string, got a number"),
                Arguments.of("{\"type\":\"ping\",\"id\":null}", "field 'id' must be a string, got null"),
                Arguments.of("{\"type\":\"ping\"} {}", "message must be one JSON object, but more data follows it"),
                Arguments.of("{\"type\":\"ping\"}{\"type\":\"ping\"}", "message must be one JSON object, but more data follows it"));
    }

    @ParameterizedTest
    @MethodSource("badMessages")
    void eachBadMessageSaysPreciselyWhatIsWrong(String text, String expected) {
        Decoded.Invalid invalid = invalid(text);
        assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_MESSAGE);
        assertThat(invalid.message()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{", "{\"type\":\"ping\"", "{\"type\":\"ping\",}", "{type:\"ping\"}",
        "{'type':'ping'}", "{\"type\":\"ping\"} trailing", "{\"type\":\"pi\nng\"}", "{\"type\":\"ping\" \"id\":\"x\"}",
        "{\"type\":\"offer\",\"to\":\"p\",\"payload\":[1,2}", "{\"type\":\"offer\",\"to\":\"p\",\"payload\":NaN}",
        "{\"type\":\"offer\",\"to\":\"p\",\"payload\":01}"})
    void invalidJsonIsBadMessageWithTheParserReasonAndPosition(String text) {
        Decoded.Invalid invalid = invalid(text);
        assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_MESSAGE);
        assertThat(invalid.message()).startsWith("message is not valid JSON: ").contains("line 1, column ")
                .doesNotContain("Source:").doesNotContain("REDACTED");
    }

    @Test
    void anUnknownTypeNamesTheTypeAndEchoesTheId() {
        Decoded.Invalid invalid = invalid("{\"id\":\"q\",\"type\":\"dance\"}");
        assertThat(invalid).isEqualTo(new Decoded.Invalid(ErrorCode.UNKNOWN_TYPE, "unknown message type 'dance'", "q"));
        Decoded.Invalid longType = invalid("{\"type\":\"" + "x".repeat(10_000) + "\"}");
        assertThat(longType.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(longType.message()).as("a hostile type name is not echoed in full").hasSizeLessThan(120);
        assertThat(invalid("{\"type\":\"Ping\"}").code()).as("types are case-sensitive").isEqualTo(ErrorCode.UNKNOWN_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "slash/", "\u00e9t\u00e9",
        "01234567890123456789012345678901234567890123456789012345678901234"})
    void anInvalidRoomSaysWhyAndEchoesTheId(String room) {
        Decoded.Invalid invalid = invalid("{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + room + "\"}");
        assertThat(invalid).isEqualTo(new Decoded.Invalid(ErrorCode.INVALID_ROOM, RoomId.describeInvalid(room), "j"));
    }

    @Test
    void aRoomOfExactly64CharactersIsValid() {
        String room = "r".repeat(64);
        assertThat(ok("{\"type\":\"join\",\"room\":\"" + room + "\"}")).isEqualTo(new ClientMessage.Join(null, RoomId.of(room)));
    }

    @Test
    void theIdIsEchoedWheneverItWasReadableAndOnlyThen() {
        assertThat(invalid("{\"type\":\"join\",\"id\":\"after-type\"}").id()).isEqualTo("after-type");
        assertThat(invalid("{\"id\":\"before-syntax-error\",\"type\":\"ping\"").id()).isEqualTo("before-syntax-error");
        assertThat(invalid("{\"id\":\"then-trailing\",\"type\":\"ping\"} x").id()).isEqualTo("then-trailing");
        assertThat(invalid("{\"id\":\"deep\",\"type\":\"offer\",\"to\":\"p\",\"payload\":" + "[".repeat(50) + "]".repeat(50) + "}")
                .id()).isEqualTo("deep");
        assertThat(invalid("{\"type\":\"offer\",\"to\":\"p\",\"payload\":[1,}, \"id\":\"after-error\"}").id())
                .as("an id behind a syntax error was never read").isNull();
        assertThat(invalid("{\"type\":\"ping\",\"id\":{\"x\":\"y\"}}").id()).isNull();
        assertThat(invalid("{\"type\":\"ping\",\"id\":\"a\",\"id\":\"b\"}").id()).as("ambiguous").isNull();
        assertThat(invalid("[\"id\",\"x\"]").id()).isNull();
        assertThat(ok("{\"type\":\"ping\",\"id\":\"\"}")).as("an empty id is still an id").isEqualTo(new ClientMessage.Ping(""));
        assertThat(ok("{\"type\":\"ping\",\"id\":\"\\u00e9\\n\"}")).isEqualTo(new ClientMessage.Ping("\u00e9\n"));
    }

    @Test
    void unknownFieldsAndFieldsTheTypeDoesNotUseAreIgnored() {
        assertThat(ok("{\"a\":{\"b\":[1,{\"c\":[]},\"d\"]},\"type\":\"leave\",\"n\":-1.5e300,\"t\":true,\"z\":null}"))
                .isEqualTo(new ClientMessage.Leave(null));
        assertThat(ok("{\"type\":\"join\",\"room\":\"r\",\"to\":5,\"payload\":1,\"payload\":2,\"to\":[]}"))
                .as("to and payload mean nothing to join, duplicates included").isEqualTo(new ClientMessage.Join(null, RoomId.of("r")));
        assertThat(ok("{\"type\":\"ping\",\"room\":{},\"extra\":1,\"extra\":2}")).isEqualTo(new ClientMessage.Ping(null));
        assertThat(ok("{\"type\":\"offer\",\"to\":\"p\",\"room\":7,\"payload\":{},\"Type\":\"x\",\"types\":1}"))
                .isEqualTo(new ClientMessage.Relay(null, RelayKind.OFFER, "p", "{}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"ping\",\"type\":\"ping\"}",
        "{\"type\":\"join\",\"type\":\"ping\",\"room\":\"r\"}",
        "{\"type\":\"join\",\"room\":\"a\",\"room\":\"b\"}",
        "{\"type\":\"offer\",\"to\":\"a\",\"to\":\"b\",\"payload\":1}",
        "{\"type\":\"offer\",\"to\":\"a\",\"payload\":1,\"payload\":2}",
        "{\"type\":\"ping\",\"id\":\"a\",\"id\":\"a\"}"
    })
    void aUsedFieldThatAppearsTwiceIsBadMessage(String text) {
        Decoded.Invalid invalid = invalid(text);
        assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_MESSAGE);
        assertThat(invalid.message()).matches("field '(type|room|to|payload|id)' must appear only once");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ \"sdp\" :  \"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\" ,\n\t\"type\" : \"offer\" }",
        "\"\\u00e9\\ud83d\\ude00 \\\" \\\\ \\/ \u00e9\"",
        "123456789012345678901234567890123456789012345678901234567890",
        "-0.000000000000000000000000000000001E-999",
        "1.0",
        "[ ]",
        "{\"a\":{\"b\":{\"c\":[[[{\"d\":[true,false,null]}]]]}}}",
        "true",
        "\"\""
    })
    void thePayloadIsTheExactInputText(String payload) {
        ClientMessage.Relay relay = (ClientMessage.Relay) ok("{\"type\":\"offer\",\"to\":\"p\",\"payload\":" + payload + "}");
        assertThat(relay.payload()).isEqualTo(payload);
        ClientMessage.Relay spaced = (ClientMessage.Relay) ok("{\"type\":\"answer\",\"payload\" :  " + payload + "  ,\"to\":\"p\"}");
        assertThat(spaced.payload()).as("surrounding whitespace is not part of the value").isEqualTo(payload);
    }

    @Test
    void aTargetIsKeptAsWrittenEvenWhenItCannotBeAPeerId() {
        assertThat(ok("{\"type\":\"candidate\",\"to\":\"\",\"payload\":1}"))
                .isEqualTo(new ClientMessage.Relay(null, RelayKind.CANDIDATE, "", "1"));
        assertThat(ok("{\"type\":\"candidate\",\"to\":\"\\ud800\",\"payload\":1}"))
                .isEqualTo(new ClientMessage.Relay(null, RelayKind.CANDIDATE, "\ud800", "1"));
    }
}
