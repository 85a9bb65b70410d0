package io.signaling.benchmarks.bare;

import static io.signaling.benchmarks.json.MiniJson.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.benchmarks.TestSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BareUndertowTest {

    private BareUndertow server;
    private HttpClient client;
    private URI ws;

    @BeforeEach
    void start() {
        server = BareUndertow.start("127.0.0.1", 0);
        client = TestSocket.client();
        ws = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> http(String method, String path) throws Exception {
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthRoutesAnswerUpAndOthersAreRefused() throws Exception {
        var live = http("GET", "/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(live.headers().firstValue("content-type")).contains("application/json");
        assertThat(http("GET", "/health/ready").statusCode()).isEqualTo(200);
        assertThat(http("POST", "/health/live").statusCode()).isEqualTo(405);
        assertThat(http("GET", "/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void welcomesJoinsAndRelaysByTo() throws Exception {
        try (var a = new TestSocket(client, ws); var b = new TestSocket(client, ws); var c = new TestSocket(client, ws)) {
            var wa = a.nextJson();
            assertThat(string(wa, "type")).isEqualTo("welcome");
            assertThat(wa.get("limits")).contains("\"maxPeersPerRoom\":16");
            String idA = string(wa, "peerId");
            String idB = string(b.nextJson(), "peerId");
            String idC = string(c.nextJson(), "peerId");
            assertThat(idA).matches("[A-Za-z0-9_-]{1,64}").isNotEqualTo(idB);

            a.send("{\"type\":\"join\",\"room\":\"r1\",\"id\":\"j1\"}");
            var joinedA = a.nextJson();
            assertThat(string(joinedA, "type")).isEqualTo("joined");
            assertThat(string(joinedA, "id")).isEqualTo("j1");
            assertThat(joinedA.get("peers")).isEqualTo("[]");
            assertThat(joinedA.get("polite")).isEqualTo("false");

            b.send("{\"type\":\"join\",\"room\":\"r1\"}");
            var joinedB = b.nextJson();
            assertThat(joinedB.get("peers")).isEqualTo("[\"" + idA + "\"]");
            var peerJoined = a.nextJson();
            assertThat(string(peerJoined, "type")).isEqualTo("peer-joined");
            assertThat(string(peerJoined, "peerId")).isEqualTo(idB);
            assertThat(peerJoined.get("polite")).isEqualTo("true");

            c.send("{\"type\":\"join\",\"room\":\"other\"}");
            assertThat(string(c.nextJson(), "type")).isEqualTo("joined");

            b.send("{\"type\":\"offer\",\"to\":\"" + idA + "\",\"payload\":{\"sdp\":\"v=0\",\"n\":[1,2]}}");
            var relayed = a.nextJson();
            assertThat(string(relayed, "type")).isEqualTo("offer");
            assertThat(string(relayed, "from")).isEqualTo(idB);
            assertThat(string(relayed, "to")).isEqualTo(idA);
            assertThat(relayed.get("payload")).isEqualTo("{\"sdp\":\"v=0\",\"n\":[1,2]}");

            c.send("{\"type\":\"candidate\",\"to\":\"" + idA + "\",\"payload\":null,\"id\":\"x\"}");
            var err = c.nextJson();
            assertThat(string(err, "code")).isEqualTo("peer-not-found");
            assertThat(string(err, "id")).isEqualTo("x");

            b.send("{\"type\":\"leave\"}");
            assertThat(string(b.nextJson(), "type")).isEqualTo("left");
            var left = a.nextJson();
            assertThat(string(left, "type")).isEqualTo("peer-left");
            assertThat(string(left, "reason")).isEqualTo("leave");

            c.close();
        }
    }

    @Test
    void echoesRawTextAndAnswersErrorsPingAndBinary() throws Exception {
        try (var a = new TestSocket(client, ws)) {
            a.next(); // welcome
            a.send("hello raw");
            assertThat(a.next()).isEqualTo("hello raw");
            a.send("{\"type\":\"ping\",\"id\":\"p1\"}");
            assertThat(a.next()).isEqualTo("{\"type\":\"pong\",\"id\":\"p1\"}");
            a.send("{not json");
            assertThat(string(a.nextJson(), "code")).isEqualTo("bad-message");
            a.send("{\"type\":\"dance\"}");
            assertThat(string(a.nextJson(), "code")).isEqualTo("unknown-type");
            a.send("{\"type\":\"join\",\"room\":\"bad room!\"}");
            assertThat(string(a.nextJson(), "code")).isEqualTo("invalid-room");
            a.send("{\"type\":\"offer\",\"to\":\"x\",\"payload\":1}");
            assertThat(string(a.nextJson(), "code")).isEqualTo("not-in-room");
            a.sendBinary(new byte[] {1, 2, 3});
            assertThat(a.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1003);
        }
    }

    @Test
    void disconnectTellsRoomMatesAndRoomFullIsRefused() throws Exception {
        try (var a = new TestSocket(client, ws); var b = new TestSocket(client, ws)) {
            a.next();
            String idB = string(b.nextJson(), "peerId");
            a.send("{\"type\":\"join\",\"room\":\"d\"}");
            a.next();
            b.send("{\"type\":\"join\",\"room\":\"d\"}");
            b.next();
            a.next(); // peer-joined
            b.close();
            var left = a.nextJson();
            assertThat(string(left, "type")).isEqualTo("peer-left");
            assertThat(string(left, "peerId")).isEqualTo(idB);
            assertThat(string(left, "reason")).isEqualTo("disconnect");
        }
        var sockets = new java.util.ArrayList<TestSocket>();
        try {
            for (int i = 0; i < 17; i++) {
                var s = new TestSocket(client, ws);
                sockets.add(s);
                s.next();
                s.send("{\"type\":\"join\",\"room\":\"full\"}");
                var reply = s.nextJson();
                assertThat(string(reply, "type")).isEqualTo(i < 16 ? "joined" : "error");
                if (i == 16) {
                    assertThat(string(reply, "code")).isEqualTo("room-full");
                }
            }
        } finally {
            sockets.forEach(TestSocket::close);
        }
    }
}
