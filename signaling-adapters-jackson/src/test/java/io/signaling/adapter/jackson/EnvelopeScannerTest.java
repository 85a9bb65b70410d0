package io.signaling.adapter.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.signaling.Decoded;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder's fast path: it takes the frames clients really send, hands everything it is not
 * sure of to the full parser, and never decides differently from it (a seeded mutation run over
 * the fuzz corpus and the contract's frames, compared result for result, errors word for word).
 */
class EnvelopeScannerTest {

    private static final String SDP_OFFER = "{\"type\":\"offer\",\"to\":\"Qm9vdHN0cmFwUGVlcklk\",\"id\":\"m-7\",\"seq\":12,"
            + "\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 46117 2 IN IP4 127.0.0.1\\r\\na=group:BUNDLE 0\\r\\n\"}}";

    private final JacksonMessageCodec codec = (JacksonMessageCodec) JacksonCodecs.messageCodec();
    private final EnvelopeScanner scanner = new EnvelopeScanner(JacksonCodecs.DEFAULT_MAX_PAYLOAD_DEPTH + 1,
            JacksonCodecs.DEFAULT_MAX_NUMBER_LENGTH, JacksonCodecs.MAX_NAME_LENGTH);

    private boolean fast(String frame) {
        return scanner.scan(frame, new JacksonMessageCodec.Envelope());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        SDP_OFFER,
        "{\"type\":\"candidate\",\"to\":\"p\",\"payload\":{\"candidate\":\"candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":null}}",
        "{\"type\":\"candidate\",\"to\":\"p\",\"payload\":null}",
        " {\"type\" : \"join\" , \"room\" : \"lobby-1\" , \"id\" : \"j\"}\n",
        "{\"type\":\"ping\",\"id\":\"\u00e9\u65e5\ud83d\ude00\"}",
        "{\"type\":\"leave\"}",
        "{\"type\":\"dance\"}",
        "{\"type\":\"join\",\"room\":\"not a room\"}",
        "{\"type\":\"offer\",\"payload\":{}}",
        "{}"
    })
    void takesWhatClientsReallySend(String frame) {
        assertThat(fast(frame)).as(frame).isTrue();
        assertThat(codec.decode(frame)).isEqualTo(codec.decodeWithParser(frame));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"t\\u0079pe\":\"ping\"}",
        "{\"type\":\"o\\u0066fer\",\"to\":\"p\",\"payload\":1}",
        "{\"type\":\"offer\",\"to\":\"p\\\"q\",\"payload\":1}",
        "{\"type\":\"offer\",\"to\":\"a\",\"to\":\"b\",\"payload\":1}",
        "{\"type\":\"offer\",\"to\":\"a\",\"payload\":1,\"payload\":2}",
        "{\"type\":\"ping\",\"seq\":1,\"seq\":2}",
        "{\"type\":\"ping\",\"seq\":0}",
        "{\"type\":\"ping\",\"seq\":1.0}",
        "{\"type\":\"ping\",\"seq\":9007199254740992}",
        "{\"type\":5}",
        "{\"type\":\"ping\",\"id\":null}",
        "{\"type\":\"ping\",\"x\":01}",
        "{\"type\":\"ping\",\"x\":1.}",
        "{\"type\":\"ping\",\"x\":\"\\a\"}",
        "{\"type\":\"ping\",\"x\":\"tab\there\"}",
        "{\"type\":\"ping\",\"x\":truex}",
        "{\"type\":\"ping\"} {}",
        "{\"type\":\"ping\",}",
        "{\"type\":\"ping\"",
        "\u00a0{\"type\":\"ping\"}",
        "[]",
        ""
    })
    void leavesToTheParserWhatItIsNotSureOf(String frame) {
        assertThat(fast(frame)).as(frame).isFalse();
        assertThat(codec.decode(frame)).isEqualTo(codec.decodeWithParser(frame));
    }

    @Test
    void leavesDeepNestingAndLongNumbersToTheParser() {
        String deep = "{\"type\":\"offer\",\"to\":\"p\",\"payload\":" + "[".repeat(32) + "]".repeat(32) + "}";
        String shallower = "{\"type\":\"offer\",\"to\":\"p\",\"payload\":" + "[".repeat(31) + "]".repeat(31) + "}";
        assertThat(fast(deep)).isFalse();
        assertThat(fast(shallower)).isTrue();
        assertThat(codec.decode(deep)).isEqualTo(codec.decodeWithParser(deep));
        String longNumber = "{\"type\":\"ping\",\"n\":" + "1".repeat(51) + "}";
        assertThat(fast(longNumber)).isFalse();
        assertThat(fast("{\"type\":\"ping\",\"n\":" + "1".repeat(50) + "}")).isTrue();
    }

    @Test
    void decidesAsTheParserOnMutatedFrames() throws IOException {
        List<String> seeds = new ArrayList<>(List.of(SDP_OFFER,
                "{\"type\":\"join\",\"room\":\"r-1\",\"id\":\"q\",\"seq\":3}",
                "{\"type\":\"answer\",\"to\":\"p\",\"payload\":[1,-2.5e+3,true,false,null,\"\\u00e9\\n\",{\"k\":{}}]}",
                "{\"type\":\"ping\",\"id\":\"x\",\"extra\":{\"a\":[{},[]]}}"));
        Path corpus = Path.of("src/test/resources/io/signaling/adapter/jackson/JacksonMessageCodecFuzzTestInputs/decode");
        if (Files.isDirectory(corpus)) {
            try (Stream<Path> files = Files.list(corpus)) {
                for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                    seeds.add(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(seeds).as("the fuzz corpus is found").hasSizeGreaterThan(10);
        String alphabet = "{}[]\":,\\/ \t\n\r0123456789-+.eEabfnrtu\u00e9\ud83dxyz";
        Random random = new Random(15);
        int fastTaken = 0;
        int cases = 0;
        for (String seed : seeds) {
            for (int round = 0; round < 2_000; round++) {
                String frame = mutate(seed, random, alphabet);
                cases++;
                if (fast(frame)) {
                    fastTaken++;
                }
                Decoded viaScanner = codec.decode(frame);
                assertThat(viaScanner).as("decoding %s", frame).isEqualTo(codec.decodeWithParser(frame));
            }
        }
        // Both paths were exercised, or the comparison proves little.
        assertThat(fastTaken).isBetween(cases / 20, cases - cases / 20);
    }

    private static String mutate(String seed, Random random, String alphabet) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = random.nextInt(sb.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, c);
                case 2 -> sb.setCharAt(at, c);
                default -> {
                    // Repeat a slice: duplicate members, doubled brackets.
                    int end = Math.min(sb.length(), at + 1 + random.nextInt(24));
                    sb.insert(end, sb.substring(at, end));
                }
            }
        }
        return sb.toString();
    }
}
