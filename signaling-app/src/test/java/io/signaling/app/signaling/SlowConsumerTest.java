package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fault 3 of docs/reliability.md: consumers that stop reading while others relay to them. Each is
 * a raw socket with a small receive buffer that reads its {@code welcome} and {@code joined} and
 * then nothing more. The server's per-connection send queue fills, the slow consumer is closed
 * (1008 slow consumer, or the send timeout), its room-mate is told with {@code peer-left}, and
 * a fast pair relaying beside them loses nothing.
 */
class SlowConsumerTest {

    private static final int SLOW = 20;
    private static final String PAD = "x".repeat(8_000);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SignalingClient> clients = new ArrayList<>();
    private final List<Socket> raw = new ArrayList<>();
    private SignalingTestNode node;

    @AfterEach
    void stop() throws IOException {
        clients.forEach(SignalingClient::close);
        for (Socket s : raw) {
            s.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void consumersThatStopReadingAreClosedAndTheirRoomMatesCarryOn() throws Exception {
        node = SignalingTestNode.start("websocket.send-timeout=2s", "websocket.send-queue-messages=64",
                "rate-limit.messages-per-second=100000", "rate-limit.burst=100000");
        int port = node.node().publicAddress().getPort();
        SignalingClient fastA = SignalingClient.connect(http, node.wsUri());
        SignalingClient fastB = SignalingClient.connect(http, node.wsUri());
        clients.add(fastA);
        clients.add(fastB);
        fastA.join("fast");
        fastB.join("fast");
        fastA.next("peer-joined");

        List<SignalingClient> senders = new ArrayList<>();
        List<String> slowIds = new ArrayList<>();
        for (int i = 0; i < SLOW; i++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(15_000);
            raw.add(socket);
            String welcome = handshakeAndReadText(socket, port);
            String peerId = SignalingClient.parse(welcome).get("peerId").asText();
            sendMasked(socket.getOutputStream(), "{\"type\":\"join\",\"room\":\"slow-" + i + "\"}");
            assertThat(SignalingClient.parse(readText(socket.getInputStream())).get("type").asText()).isEqualTo("joined");
            SignalingClient sender = SignalingClient.connect(http, node.wsUri());
            clients.add(sender);
            sender.join("slow-" + i);
            senders.add(sender);
            slowIds.add(peerId);
        }

        // Each sender relays far more to its slow mate than a 4 KiB buffer and a 64-message
        // queue hold; the fast pair relays beside them.
        for (int n = 0; n < 400; n++) {
            for (int i = 0; i < SLOW; i++) {
                senders.get(i).relay("offer", slowIds.get(i), "{\"n\":" + n + ",\"pad\":\"" + PAD + "\"}");
            }
            if (n % 4 == 0) {
                fastA.relay("offer", fastB.peerId(), "{\"n\":" + n / 4 + "}");
            }
        }

        for (int i = 0; i < SLOW; i++) {
            JsonNode left = senders.get(i).next("peer-left");
            assertThat(left.get("peerId").asText()).isEqualTo(slowIds.get(i));
            assertThat(left.get("reason").asText()).isEqualTo("disconnect");
        }
        for (int n = 0; n < 100; n++) {
            assertThat(fastB.next("offer").get("payload").get("n").asInt()).isEqualTo(n);
        }
        fastB.assertNothingPending();
        assertThat(fastA.closed()).isNotDone();
    }

    @Test
    void aConsumerThatStopsReadingIsClosedOnceItsQueueIsFullNotOnceTheKernelGaveUp() throws Exception {
        // 200 relays of 8 KB (1.6 MB) to a consumer that reads nothing: more than its 1 MiB send
        // queue holds beside a send buffer of one largest message, but less than the 4 MiB a
        // Linux send buffer autotunes to on loopback. Before the server capped the socket's send
        // buffer the kernel took the lot, every write completed, and the consumer stayed open.
        node = SignalingTestNode.start("websocket.send-timeout=2s", "rate-limit.messages-per-second=100000",
                "rate-limit.burst=100000");
        int port = node.node().publicAddress().getPort();
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(15_000);
        raw.add(socket);
        String slowId = SignalingClient.parse(handshakeAndReadText(socket, port)).get("peerId").asText();
        sendMasked(socket.getOutputStream(), "{\"type\":\"join\",\"room\":\"slow\"}");
        assertThat(SignalingClient.parse(readText(socket.getInputStream())).get("type").asText()).isEqualTo("joined");
        SignalingClient sender = SignalingClient.connect(http, node.wsUri());
        clients.add(sender);
        sender.join("slow");

        for (int n = 0; n < 200; n++) {
            sender.relay("offer", slowId, "{\"n\":" + n + ",\"pad\":\"" + PAD + "\"}");
        }

        JsonNode left = sender.next("peer-left");
        assertThat(left.get("peerId").asText()).isEqualTo(slowId);
        assertThat(left.get("reason").asText()).isEqualTo("disconnect");
    }

    private static String handshakeAndReadText(Socket socket, int port) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
        return readText(in);
    }

    /** One unfragmented, unmasked server text frame. */
    private static String readText(InputStream in) throws IOException {
        int opcode = in.read() & 0x0F;
        long length = in.read() & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        assertThat(opcode).as("text frame").isEqualTo(1);
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** A client text frame, masked with the all-zero key (so the payload goes as is). */
    private static void sendMasked(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.write(0x81);
        out.write(0x80 | payload.length); // short frames only
        out.write(new byte[4]);
        out.write(payload);
        out.flush();
    }
}
