package io.signaling.app.signaling;

import static io.signaling.app.signaling.Json.json;
import static io.signaling.app.signaling.Json.rawMember;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session rows of the contract: {@code welcome}, {@code join}/{@code joined}/{@code peer-joined},
 * {@code leave}/{@code left}/{@code peer-left}, the three relays and {@code ping}/{@code pong}, with
 * the {@code id} echo, each checked field by field over real WebSockets.
 */
class SessionContractTest {

    @RegisterExtension
    static final RunningNode node = new RunningNode("rooms.max-peers=3", "websocket.max-message-size=1KiB",
                "rate-limit.messages-per-second=1000.5", "rate-limit.burst=1000",
                "websocket.ping-interval=7s", "websocket.idle-timeout=21s");

    @Test
    void welcomeCarriesAFreshUrlSafePeerIdAndTheConfiguredLimits() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            SignalingClient client = node.connect();
            JsonNode welcome = client.welcome();
            String id = welcome.path("peerId").asText();
            assertThat(id).matches("[A-Za-z0-9_-]{1,64}");
            assertThat(welcome).isEqualTo(json("{'type':'welcome','peerId':'%s','limits':{'maxMessageBytes':1024,"
                    + "'maxPeersPerRoom':3,'messagesPerSecond':1000.5,'burst':1000,'pingIntervalMs':7000,"
                    + "'idleTimeoutMs':21000}}", id));
            ids.add(id);
        }
        assertThat(ids).as("one id per connection").hasSize(20);
    }

    @Test
    void joinRepliesJoinedWithEarlierPeersInJoinOrderAndAnnouncesTheNewcomer() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        SignalingClient c = node.connect();

        assertThat(a.request("{'type':'join','room':'Room_join-1','id':'j-a'}".replace('\'', '"')))
                .isEqualTo(json("{'type':'joined','id':'j-a','room':'Room_join-1','peerId':'%s','peers':[],"
                        + "'polite':false}", a.peerId()));

        assertThat(b.request("{\"type\":\"join\",\"room\":\"Room_join-1\"}"))
                .isEqualTo(json("{'type':'joined','room':'Room_join-1','peerId':'%s','peers':['%s'],'polite':false}",
                        b.peerId(), a.peerId()));
        assertThat(a.next()).isEqualTo(json("{'type':'peer-joined','room':'Room_join-1','peerId':'%s','polite':true}",
                b.peerId()));

        assertThat(c.request("{\"type\":\"join\",\"room\":\"Room_join-1\"}"))
                .isEqualTo(json("{'type':'joined','room':'Room_join-1','peerId':'%s','peers':['%s','%s'],"
                        + "'polite':false}", c.peerId(), a.peerId(), b.peerId()));
        JsonNode cJoined = json("{'type':'peer-joined','room':'Room_join-1','peerId':'%s','polite':true}", c.peerId());
        assertThat(a.next()).isEqualTo(cJoined);
        assertThat(b.next()).isEqualTo(cJoined);

        a.assertNothingPending();
        b.assertNothingPending();
        c.assertNothingPending();
    }

    @Test
    void unknownExtraFieldsAreIgnored() throws Exception {
        SignalingClient a = node.connect();
        assertThat(a.request("{\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"type\":\"join\",\"room\":\"extra\","
                + "\"to\":42,\"payload\":\"ignored\"}"))
                .isEqualTo(json("{'type':'joined','room':'extra','peerId':'%s','peers':[],'polite':false}", a.peerId()));
        assertThat(a.request("{\"type\":\"ping\",\"room\":7,\"x\":true}")).isEqualTo(json("{'type':'pong'}"));
    }

    @Test
    void leaveRepliesLeftTellsTheOthersAndAllowsAnotherJoin() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        SignalingClient c = node.connect();
        a.join("leave-room");
        b.join("leave-room");
        a.next("peer-joined");
        c.join("leave-room");
        a.next("peer-joined");
        b.next("peer-joined");

        assertThat(b.request("{\"type\":\"leave\",\"id\":\"bye-1\"}"))
                .isEqualTo(json("{'type':'left','id':'bye-1','room':'leave-room'}"));
        JsonNode bLeft = json("{'type':'peer-left','room':'leave-room','peerId':'%s','reason':'leave'}", b.peerId());
        assertThat(a.next()).isEqualTo(bLeft);
        assertThat(c.next()).isEqualTo(bLeft);

        // Out of the room, b can join again and sees the two still there, in their join order.
        assertThat(b.request("{\"type\":\"join\",\"room\":\"leave-room\"}"))
                .isEqualTo(json("{'type':'joined','room':'leave-room','peerId':'%s','peers':['%s','%s'],'polite':false}",
                        b.peerId(), a.peerId(), c.peerId()));
        JsonNode bJoined = json("{'type':'peer-joined','room':'leave-room','peerId':'%s','polite':true}", b.peerId());
        assertThat(a.next()).isEqualTo(bJoined);
        assertThat(c.next()).isEqualTo(bJoined);

        // Leaving without an id: the reply has none.
        assertThat(a.request("{\"type\":\"leave\"}")).isEqualTo(json("{'type':'left','room':'leave-room'}"));
        b.next("peer-left");
        c.next("peer-left");
        b.assertNothingPending();
    }

    @Test
    void aCleanCloseIsALeaveWithReasonDisconnect() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        a.join("clean-close");
        b.join("clean-close");
        a.next("peer-joined");

        b.closeNormally();

        assertThat(a.next()).isEqualTo(json("{'type':'peer-left','room':'clean-close','peerId':'%s',"
                + "'reason':'disconnect'}", b.peerId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"offer", "answer", "candidate"})
    void relaysReachTheTargetWithFromToAndTheExactPayload(String type) throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        SignalingClient c = node.connect();
        String room = "relay-" + type;
        a.join(room);
        b.join(room);
        a.next("peer-joined");
        c.join(room);
        a.next("peer-joined");
        b.next("peer-joined");

        List<String> payloads = List.of(
                "{ \"sdp\" : \"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\n\",\n\t\"type\":\"offer\" }",
                "{\"n\":1.50,\"e\":1E+2,\"big\":123456789012345678901234567890,\"u\":\"\\u00e9\\ud83d\\ude00 é\"}",
                "[ 1 , \"two\" , [ ] , { } , true , false , null ]",
                "\"a plain \\\"string\\\"\"",
                "-0.0e-0",
                "true",
                "{}");
        for (String payload : payloads) {
            a.send("{\"type\":\"" + type + "\",\"to\":\"" + b.peerId() + "\",\"id\":\"r-1\",\"payload\":" + payload
                    + ",\"extra\":1}");
            String frame = b.nextRaw();
            assertThat(rawMember(frame, "payload")).as("payload as sent, byte for byte").isEqualTo(payload);
            assertThat(SignalingClient.parse(frame)).isEqualTo(json("{'type':'%s','from':'%s','to':'%s','payload':%s}",
                    type, a.peerId(), b.peerId(), payload.replace('\'', '"')));
        }
        // Only the target gets it, and a relay has no reply to its sender.
        a.assertNothingPending();
        c.assertNothingPending();
        b.assertNothingPending();
    }

    @Test
    void aCandidateWithNullPayloadIsRelayedAsEndOfCandidates() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        a.join("end-of-candidates");
        b.join("end-of-candidates");
        a.next("peer-joined");

        b.send("{\"type\":\"candidate\",\"to\":\"" + a.peerId() + "\",\"payload\":null}");

        String frame = a.nextRaw();
        assertThat(rawMember(frame, "payload")).isEqualTo("null");
        assertThat(SignalingClient.parse(frame)).isEqualTo(json("{'type':'candidate','from':'%s','to':'%s','payload':null}",
                b.peerId(), a.peerId()));
    }

    @Test
    void identicalMessagesAreEachDelivered() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        a.join("identical");
        b.join("identical");
        a.next("peer-joined");
        String offer = "{\"type\":\"offer\",\"to\":\"" + b.peerId() + "\",\"payload\":{\"sdp\":\"same\"}}";
        for (int i = 0; i < 3; i++) {
            a.send(offer);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(b.next()).isEqualTo(json("{'type':'offer','from':'%s','to':'%s','payload':{'sdp':'same'}}",
                    a.peerId(), b.peerId()));
        }
        b.assertNothingPending();
    }

    @Test
    void pingRepliesPongInAndOutOfARoomEchoingTheId() throws Exception {
        SignalingClient a = node.connect();
        assertThat(a.request("{\"type\":\"ping\"}")).isEqualTo(json("{'type':'pong'}"));
        assertThat(a.request("{\"type\":\"ping\",\"id\":\"p-1\"}")).isEqualTo(json("{'type':'pong','id':'p-1'}"));
        a.join("ping-room");
        assertThat(a.request("{\"id\":\"p-2\",\"type\":\"ping\"}")).isEqualTo(json("{'type':'pong','id':'p-2'}"));
    }
}
