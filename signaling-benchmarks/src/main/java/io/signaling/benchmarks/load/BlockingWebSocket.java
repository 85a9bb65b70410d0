package io.signaling.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal RFC 6455 client on one blocking socket, for closed-loop echo runs.
 *
 * <p>Why not the JDK client here: a closed loop measures round trips, and the JDK client's
 * executor hand-offs per message make the client, not the server, the bottleneck on a pinned
 * core. One thread per socket is fine for the ~100 sockets of an echo run; hold and relay, which
 * need thousands of sockets, stay on the JDK client. Text frames only; answers pings; not
 * thread-safe (one loop thread owns one socket).
 */
final class BlockingWebSocket implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_MESSAGE = 1 << 20;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] mask = new byte[4];
    private byte[] frame = new byte[1024];

    BlockingWebSocket(URI uri, int timeoutMs) throws IOException {
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMs);
        socket.connect(new InetSocketAddress(uri.getHost().replace("[", "").replace("]", ""), port), timeoutMs);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 101")) {
            close();
            throw new IOException("WebSocket handshake refused: '" + status + "'");
        }
        String accept = null;
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                accept = h.substring(colon + 1).trim();
            }
        }
        if (!expectedAccept(key).equals(accept)) {
            close();
            throw new IOException("bad Sec-WebSocket-Accept in handshake: " + accept);
        }
    }

    static String expectedAccept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /** Sends one masked text frame. */
    void sendText(String text) throws IOException {
        writeFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void writeFrame(int opcode, byte[] payload) throws IOException {
        out.write(0x80 | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(0x80 | n);
        } else if (n < 65536) {
            out.write(0x80 | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >>> shift));
            }
        }
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(mask);
        if (frame.length < n) {
            frame = new byte[Math.max(n, frame.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            frame[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(frame, 0, n);
    }

    /** Reads the next complete text message, answering pings on the way. */
    String readText() throws IOException {
        var message = new java.io.ByteArrayOutputStream();
        while (true) {
            int b0 = read();
            int b1 = read();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            long len = b1 & 0x7F;
            if (len == 126) {
                len = (read() << 8) | read();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | read();
                }
            }
            if ((b1 & 0x80) != 0) {
                throw new IOException("server frames must not be masked");
            }
            if (len > MAX_MESSAGE || message.size() + len > MAX_MESSAGE) {
                throw new IOException("message larger than " + MAX_MESSAGE + " bytes");
            }
            byte[] payload = in.readNBytes((int) len);
            if (payload.length != len) {
                throw new EOFException("connection closed mid-frame");
            }
            switch (opcode) {
                case 0x0, 0x1 -> {
                    message.write(payload);
                    if (fin) {
                        return message.toString(StandardCharsets.UTF_8);
                    }
                }
                case 0x8 -> {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    throw new IOException("closed by server with code " + code);
                }
                case 0x9 -> {
                    writeFrame(0xA, payload);
                    out.flush();
                }
                default -> {
                    // pong or binary: not part of an echo exchange
                }
            }
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed");
        }
        return b;
    }

    private String readLine() throws IOException {
        var sb = new StringBuilder();
        while (true) {
            int b = read();
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() > 16 * 1024) {
                throw new IOException("handshake header line longer than 16 KiB");
            }
            sb.append((char) b);
        }
    }

    /** Sends a normal close (1000) when it can, then closes the socket without waiting. */
    @Override
    public void close() {
        try {
            if (!socket.isClosed() && socket.isConnected()) {
                writeFrame(0x8, new byte[] {0x03, (byte) 0xE8});
                out.flush();
            }
        } catch (IOException e) {
            // The socket is going anyway.
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }
}
