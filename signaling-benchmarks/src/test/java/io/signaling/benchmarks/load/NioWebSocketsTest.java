package io.signaling.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The selector client against a hand-written server on a plain socket, so the test controls every
 * byte: fragments, a ping between them, oversized frames, and both close handshakes.
 */
class NioWebSocketsTest {

    private ServerSocket listener;
    private NioWebSockets client;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> failedSends = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> receiveTimes = new LinkedBlockingQueue<>();
    private WsSession session;

    @BeforeEach
    void setUp() throws IOException {
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(5_000);
        client = new NioWebSockets();
        session = new WsSession(0, new WsSession.Handler() {
            @Override
            public void onMessage(WsSession s, String type, Map<String, String> msg, String raw) {
                receiveTimes.add(s.receivedNanos());
                received.add(raw);
            }

            @Override
            public void onSendFailed(WsSession s, Object tag, Throwable error) {
                failedSends.add(tag);
            }
        }, new ErrorCounts());
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        listener.close();
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
    }

    /** Accepts the client's connection and answers its upgrade, with {@code accept} if given. */
    private Socket handshake(String acceptOverride) throws IOException {
        Socket s = listener.accept();
        s.setSoTimeout(5_000);
        var in = s.getInputStream();
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client went away in the handshake");
            }
            head.append((char) b);
        }
        String key = head.toString().lines().filter(l -> l.startsWith("Sec-WebSocket-Key:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        assertThat(head.toString()).startsWith("GET /ws HTTP/1.1\r\n").contains("Upgrade: websocket");
        String accept = acceptOverride != null ? acceptOverride : WsFrames.expectedAccept(key);
        s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** An unmasked server frame. */
    private static void frame(OutputStream out, boolean fin, int opcode, byte[] payload) throws IOException {
        out.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(n);
        } else if (n < 65536) {
            out.write(126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >>> shift));
            }
        }
        out.write(payload);
        out.flush();
    }

    private record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Reads one client frame, which must be masked, and unmasks it. */
    private static Frame read(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertThat(b1 & 0x80).as("client frames are masked").isNotZero();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes((int) len);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reassemblesFragmentsAnswersPingsSendsMaskedFramesAndCompletesAServerClose() throws Exception {
        CompletableFuture<Void> opened = client.connect(uri(), session);
        try (Socket s = handshake(null)) {
            opened.get(5, TimeUnit.SECONDS);
            assertThat(session.isOpen()).isTrue();
            var out = s.getOutputStream();
            var in = new DataInputStream(s.getInputStream());

            // A message in three fragments with a ping between them (control frames may interleave).
            long before = System.nanoTime();
            frame(out, false, WsFrames.OP_TEXT, utf8("{\"type\":\"wel"));
            frame(out, false, WsFrames.OP_CONTINUATION, utf8("come\",\"peerId\":"));
            frame(out, true, WsFrames.OP_PING, utf8("are you there"));
            frame(out, true, WsFrames.OP_CONTINUATION, utf8("\"p-1\"}"));

            Frame pong = read(in);
            assertThat(pong.opcode()).isEqualTo(WsFrames.OP_PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"welcome\",\"peerId\":\"p-1\"}");
            assertThat(session.welcome.get(5, TimeUnit.SECONDS)).isEqualTo("p-1");
            assertThat(receiveTimes.poll()).isBetween(before, System.nanoTime());

            // One message larger than the client's read buffer, in one frame with a 64-bit length.
            String big = "{\"type\":\"big\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
            frame(out, true, WsFrames.OP_TEXT, utf8(big));
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(big);

            // Client to server: small, 16-bit and 64-bit lengths, all masked and in order.
            session.send("hello");
            session.send("y".repeat(300));
            session.send("z".repeat(70_000));
            assertThat(read(in)).satisfies(f -> {
                assertThat(f.fin()).isTrue();
                assertThat(f.opcode()).isEqualTo(WsFrames.OP_TEXT);
                assertThat(f.text()).isEqualTo("hello");
            });
            assertThat(read(in).text()).isEqualTo("y".repeat(300));
            assertThat(read(in).text()).isEqualTo("z".repeat(70_000));

            // The server closes with 1001: the client echoes the code, then drops the connection.
            frame(out, true, WsFrames.OP_CLOSE, new byte[] {0x03, (byte) 0xE9, 'b', 'y', 'e'});
            Frame closeReply = read(in);
            assertThat(closeReply.opcode()).isEqualTo(WsFrames.OP_CLOSE);
            assertThat(WsFrames.closeCode(closeReply.payload(), closeReply.payload().length)).isEqualTo(1001);
            assertThat(in.read()).as("TCP closed after the close handshake").isEqualTo(-1);
            session.closedFuture.get(5, TimeUnit.SECONDS);
            assertThat(session.closeCode()).isEqualTo(1001);
            assertThat(session.isOpen()).isFalse();

            // A send on a closed socket fails back to the handler rather than vanishing.
            session.send("late", "tag-1");
            assertThat(failedSends.poll(5, TimeUnit.SECONDS)).isEqualTo("tag-1");
        }
    }

    @Test
    void clientCloseWaitsForTheServersReply() throws Exception {
        CompletableFuture<Void> opened = client.connect(uri(), session);
        try (Socket s = handshake(null)) {
            opened.get(5, TimeUnit.SECONDS);
            var in = new DataInputStream(s.getInputStream());
            session.close();
            Frame close = read(in);
            assertThat(close.opcode()).isEqualTo(WsFrames.OP_CLOSE);
            assertThat(WsFrames.closeCode(close.payload(), close.payload().length)).isEqualTo(1000);
            assertThat(session.closedFuture).as("open until the server answers").isNotDone();

            frame(s.getOutputStream(), true, WsFrames.OP_CLOSE, new byte[] {0x03, (byte) 0xE8});
            session.closedFuture.get(5, TimeUnit.SECONDS);
            assertThat(session.closeCode()).isEqualTo(1000);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aWrongAcceptValueFailsTheHandshake() throws Exception {
        CompletableFuture<Void> opened = client.connect(uri(), session);
        try (Socket s = handshake("bm90IHRoZSByaWdodCBvbmU=")) {
            assertThatThrownBy(() -> opened.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("bad Sec-WebSocket-Accept");
            assertThat(session.isOpen()).isFalse();
        }
    }

    @Test
    void aMaskedServerFrameIsAProtocolError() throws Exception {
        CompletableFuture<Void> opened = client.connect(uri(), session);
        try (Socket s = handshake(null)) {
            opened.get(5, TimeUnit.SECONDS);
            s.getOutputStream().write(new byte[] {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'x'});
            session.closedFuture.get(5, TimeUnit.SECONDS);
            assertThat(received).isEmpty();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }
}
