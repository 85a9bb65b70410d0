package io.signaling.app.signaling;

import static io.signaling.app.signaling.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error code of the contract that leaves the connection open, with the {@code id} echo and
 * proof that the connection still works (and its state is unchanged) afterwards; and the two
 * protocol violations that close it: an oversized frame (1009) and a binary frame (1003).
 */
class ErrorContractTest {

    @RegisterExtension
    static final RunningNode node = new RunningNode("rooms.max-peers=3", "websocket.max-message-size=1KiB",
                "rate-limit.messages-per-second=1000", "rate-limit.burst=1000");

    /** Asserts an error frame: exactly type, code, a human-readable message and the id when one is expected. */
    static JsonNode assertError(JsonNode frame, String code, String id) {
        assertThat(frame.path("type").asText()).as("%s", frame).isEqualTo("error");
        assertThat(frame.path("code").asText()).as("%s", frame).isEqualTo(code);
        assertThat(frame.path("message").isTextual()).as("message of %s", frame).isTrue();
        assertThat(frame.path("message").asText()).as("message of %s", frame).isNotBlank();
        List<String> fields = new ArrayList<>();
        frame.fieldNames().forEachRemaining(fields::add);
        if (id == null) {
            assertThat(fields).as("%s", frame).containsExactlyInAnyOrder("type", "code", "message");
        } else {
            assertThat(fields).as("%s", frame).containsExactlyInAnyOrder("type", "code", "message", "id");
            assertThat(frame.path("id").asText()).isEqualTo(id);
        }
        return frame;
    }

    /** One join into a fresh room proves the connection is usable and was in no room. */
    private static void assertStillWorksOutsideARoom(SignalingClient client, String room) throws Exception {
        client.assertNothingPending();
        assertThat(client.request("{\"type\":\"join\",\"room\":\"" + room + "\"}"))
                .isEqualTo(json("{'type':'joined','room':'%s','peerId':'%s','peers':[],'polite':false}", room,
                        client.peerId()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            not json                                               | NONE
            '{"type":"ping","id":"b1"'                             | b1
            ''                                                     | NONE
            '[{"type":"ping"}]'                                    | NONE
            '"ping"'                                               | NONE
            42                                                     | NONE
            null                                                   | NONE
            '{"type":"ping"} {"type":"ping"}'                      | NONE
            '{"id":"b2"}'                                          | b2
            '{"type":7,"id":"b3"}'                                 | b3
            '{"type":null,"id":"b4"}'                              | b4
            '{"type":{"name":"ping"},"id":"b5"}'                   | b5
            '{"type":"join","id":"b6"}'                            | b6
            '{"type":"join","room":5,"id":"b7"}'                   | b7
            '{"type":"join","room":null,"id":"b8"}'                | b8
            '{"type":"offer","payload":{},"id":"b9"}'              | b9
            '{"type":"answer","to":"x","id":"b10"}'                | b10
            '{"type":"candidate","to":["x"],"payload":1,"id":"b11"}' | b11
            '{"type":"ping","id":12}'                              | NONE
            '{"type":"ping","type":"join","room":"r","id":"d1"}'   | d1
            '{"type":"offer","to":"a","to":"b","payload":1,"id":"d2"}' | d2
            """)
    void badMessageForMalformedFramesAndTheConnectionStaysUsable(String frame, String id) throws Exception {
        SignalingClient client = node.connect();
        client.send(frame);
        assertError(client.next(), "bad-message", id);
        assertStillWorksOutsideARoom(client, "after-bad-message");
    }

    @Test
    void badMessageNamesTheMissingOrMistypedField() throws Exception {
        SignalingClient client = node.connect();
        assertThat(client.request("{\"type\":\"join\"}").path("message").asText()).contains("room");
        assertThat(client.request("{\"type\":\"join\",\"room\":1}").path("message").asText()).contains("room");
        assertThat(client.request("{\"type\":\"offer\",\"to\":\"x\"}").path("message").asText()).contains("payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "JOIN", "pong", "welcome", "error", ""})
    void unknownTypeEchoesTheIdAndTheConnectionStaysUsable(String type) throws Exception {
        SignalingClient client = node.connect();
        client.send("{\"type\":\"" + type + "\",\"id\":\"u-1\",\"room\":\"r\"}");
        assertError(client.next(), "unknown-type", "u-1");
        assertStillWorksOutsideARoom(client, "after-unknown-type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "room.1", "a/b", "ümlaut", "café", "x\\u0000",
            "12345678901234567890123456789012345678901234567890123456789012345"})
    void invalidRoomForNamesOutsideThePattern(String room) throws Exception {
        SignalingClient client = node.connect();
        client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"id\":\"i-1\"}");
        assertError(client.next(), "invalid-room", "i-1");
        assertStillWorksOutsideARoom(client, "after-invalid-room");
    }

    @Test
    void roomNamesAtTheBoundsOfThePatternAreAccepted() throws Exception {
        String longest = "A".repeat(32) + "z_-9".repeat(8);
        assertThat(longest).hasSize(64);
        node.connect().join(longest);
        node.connect().join("x");
    }

    @Test
    void alreadyInRoomKeepsTheCurrentMembership() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        a.join("first-room");
        b.join("first-room");
        a.next("peer-joined");

        a.send("{\"type\":\"join\",\"room\":\"second-room\",\"id\":\"again\"}");
        assertError(a.next(), "already-in-room", "again");
        a.send("{\"type\":\"join\",\"room\":\"first-room\"}");
        assertError(a.next(), "already-in-room", null);

        // Still in the first room: the room-mate heard nothing, and relays between them work.
        b.assertNothingPending();
        a.relay("offer", b.peerId(), "1");
        assertThat(b.next()).isEqualTo(json("{'type':'offer','from':'%s','to':'%s','payload':1}", a.peerId(), b.peerId()));
        SignalingClient c = node.connect();
        assertThat(c.join("second-room").path("peers")).isEmpty();
    }

    @Test
    void notInRoomForLeaveAndRelaysOutsideARoom() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        b.join("somewhere");

        a.send("{\"type\":\"leave\",\"id\":\"l-1\"}");
        assertError(a.next(), "not-in-room", "l-1");
        for (String type : List.of("offer", "answer", "candidate")) {
            a.send("{\"type\":\"" + type + "\",\"to\":\"" + b.peerId() + "\",\"payload\":null,\"id\":\"" + type + "\"}");
            assertError(a.next(), "not-in-room", type);
        }
        b.assertNothingPending();

        // After a leave, the same holds.
        a.join("somewhere");
        b.next("peer-joined");
        a.request("{\"type\":\"leave\"}");
        b.next("peer-left");
        a.send("{\"type\":\"leave\"}");
        assertError(a.next(), "not-in-room", null);
        a.relay("offer", b.peerId(), "{}");
        assertError(a.next(), "not-in-room", null);
        b.assertNothingPending();
        assertStillWorksOutsideARoom(a, "after-not-in-room");
    }

    @Test
    void peerNotFoundForUnknownIdsAndPeersOfAnotherRoom() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        SignalingClient stranger = node.connect();
        SignalingClient outsider = node.connect();
        a.join("pnf-room");
        b.join("pnf-room");
        a.next("peer-joined");
        stranger.join("pnf-other-room");

        List<String> targets = List.of("nobody", "", "A".repeat(22), "x".repeat(300), stranger.peerId(),
                outsider.peerId());
        Iterator<String> types = List.of("offer", "answer", "candidate", "offer", "answer", "candidate").iterator();
        for (String target : targets) {
            String type = types.next();
            a.send("{\"type\":\"" + type + "\",\"to\":\"" + target + "\",\"payload\":{\"x\":1},\"id\":\"t\"}");
            JsonNode error = assertError(a.next(), "peer-not-found", "t");
            assertThat(error.path("message").asText().length()).as("a long target is not echoed whole").isLessThan(300);
        }
        stranger.assertNothingPending();
        outsider.assertNothingPending();
        b.assertNothingPending();

        // A peer that left the room is no longer a target either.
        b.request("{\"type\":\"leave\"}");
        a.next("peer-left");
        a.relay("answer", b.peerId(), "1");
        assertError(a.next(), "peer-not-found", null);
        b.assertNothingPending();

        // And the connection still relays to a real room-mate.
        SignalingClient c = node.connect();
        c.join("pnf-room");
        a.next("peer-joined");
        a.relay("candidate", c.peerId(), "2");
        assertThat(c.next("candidate").path("payload").asInt()).isEqualTo(2);
    }

    @Test
    void roomFullRefusesTheFourthPeerUntilOneLeaves() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        SignalingClient c = node.connect();
        SignalingClient d = node.connect();
        a.join("full-room");
        b.join("full-room");
        c.join("full-room");
        a.next("peer-joined");
        a.next("peer-joined");
        b.next("peer-joined");

        d.send("{\"type\":\"join\",\"room\":\"full-room\",\"id\":\"f-1\"}");
        assertError(d.next(), "room-full", "f-1");
        a.assertNothingPending();
        b.assertNothingPending();
        c.assertNothingPending();

        // Refused, d is in no room: a relay is not-in-room, and once a seat frees up it gets in.
        d.relay("offer", a.peerId(), "{}");
        assertError(d.next(), "not-in-room", null);
        b.request("{\"type\":\"leave\"}");
        assertThat(d.join("full-room").path("peers")).hasSize(2);
    }

    @Test
    void aFrameOverTheSizeLimitClosesWith1009AndTheRoomMatesSeeADisconnect() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient big = node.connect();
        a.join("too-large");
        big.join("too-large");
        a.next("peer-joined");

        // A frame of exactly the limit (1 KiB) is fine.
        String exact = padded("{\"type\":\"ping\",\"id\":\"exact\",\"pad\":\"", "\"}", 1024);
        assertThat(big.request(exact)).isEqualTo(json("{'type':'pong','id':'exact'}"));

        big.send(padded("{\"type\":\"ping\",\"pad\":\"", "\"}", 1025));

        assertThat(big.awaitClosed().code()).isEqualTo(1009);
        // The contract does not say whether a message-too-large error precedes the close (the
        // Undertow transport closes before the frame reaches signaling, so none does); if one
        // comes, it must be that error.
        assertThat(big.drainQueued()).allSatisfy(frame -> assertError(SignalingClient.parse(frame), "message-too-large", null));
        assertThat(a.next()).isEqualTo(json("{'type':'peer-left','room':'too-large','peerId':'%s','reason':'disconnect'}",
                big.peerId()));
    }

    @Test
    void theSizeLimitCountsUtf8Bytes() throws Exception {
        SignalingClient client = node.connect();
        // 400 characters, 800 bytes: under the limit.
        assertThat(client.request("{\"type\":\"ping\",\"pad\":\"" + "é".repeat(400) + "\"}")).isEqualTo(json("{'type':'pong'}"));
        // 600 characters but 1,200 bytes: over it.
        client.send("{\"type\":\"ping\",\"pad\":\"" + "é".repeat(600) + "\"}");
        assertThat(client.awaitClosed().code()).isEqualTo(1009);
    }

    @Test
    void aBinaryFrameClosesWith1003AndTheRoomMatesSeeADisconnect() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient binary = node.connect();
        a.join("binary");
        binary.join("binary");
        a.next("peer-joined");

        binary.sendBinary("{\"type\":\"ping\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(binary.awaitClosed().code()).isEqualTo(1003);
        assertThat(binary.drainQueued()).as("no reply to the binary frame").isEmpty();
        assertThat(a.next()).isEqualTo(json("{'type':'peer-left','room':'binary','peerId':'%s','reason':'disconnect'}",
                binary.peerId()));
    }

    private static String padded(String head, String tail, int bytes) {
        String frame = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
        assertThat(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(bytes);
        return frame;
    }
}
