package io.signaling.app.signaling;

import static io.signaling.app.signaling.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.signaling.ports.websocket.RawWebSocketClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Departures without a {@code leave}: a connection dropped without a close frame, and a silent
 * connection closed by the idle timeout (small configured values), each announced to the
 * room-mates with {@code peer-left} and the contract's reason.
 */
class DisconnectTest {

    @RegisterExtension
    static final RunningNode node = new RunningNode("websocket.idle-timeout=1500ms", "websocket.ping-interval=500ms");

    /** A raw-socket peer that joins {@code room} and then neither reads nor answers pings. */
    private RawWebSocketClient silentPeerIn(String room) throws Exception {
        RawWebSocketClient raw = RawWebSocketClient.upgrade(node.wsUri(), Map.of(), 0);
        node.closeAfterTest(raw);
        assertThat(raw.response().status()).isEqualTo(101);
        raw.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        return raw;
    }

    @Test
    void aTcpDropWithoutCloseFrameIsPeerLeftDisconnect() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient b = node.connect();
        a.join("tcp-drop");
        RawWebSocketClient raw = silentPeerIn("tcp-drop");
        String rawId = a.next("peer-joined").path("peerId").asText();
        b.join("tcp-drop");
        a.next("peer-joined");

        raw.close();

        JsonNode left = json("{'type':'peer-left','room':'tcp-drop','peerId':'%s','reason':'disconnect'}", rawId);
        assertThat(a.next()).isEqualTo(left);
        assertThat(b.next()).isEqualTo(left);
    }

    @Test
    void aJdkClientAbortIsPeerLeftDisconnect() throws Exception {
        SignalingClient a = node.connect();
        SignalingClient gone = node.connect();
        a.join("abort");
        gone.join("abort");
        a.next("peer-joined");

        gone.close();

        assertThat(a.next()).isEqualTo(json("{'type':'peer-left','room':'abort','peerId':'%s','reason':'disconnect'}",
                gone.peerId()));
        a.assertNothingPending();
    }

    @Test
    void aSilentPeerIsClosedByTheIdleTimeoutAndLeavesWithReasonTimeout() throws Exception {
        SignalingClient a = node.connect();
        assertThat(a.welcome().path("limits")).isEqualTo(json("{'maxMessageBytes':65536,'maxPeersPerRoom':16,"
                + "'messagesPerSecond':50,'burst':100,'pingIntervalMs':500,'idleTimeoutMs':1500}"));
        a.join("idle");
        silentPeerIn("idle");
        String rawId = a.next("peer-joined").path("peerId").asText();

        // Waits past the idle timeout for the notice; a sent nothing meanwhile but its pongs.
        assertThat(a.next()).isEqualTo(json("{'type':'peer-left','room':'idle','peerId':'%s','reason':'timeout'}",
                rawId));

        // A quiet peer that answers the server's pings is not idle: a is still connected and served.
        a.assertNothingPending();
        assertThat(a.closed()).isNotDone();
    }
}
