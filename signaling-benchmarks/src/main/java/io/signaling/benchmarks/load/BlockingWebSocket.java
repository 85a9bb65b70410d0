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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * A minimal RFC 6455 client on one blocking socket, for closed-loop echo runs.
 *
 * <p>Why not the JDK client here: a closed loop measures round trips, and the JDK client's
 * executor hand-offs per message make the client, not the server, the bottleneck on a pinned
 * core. One thread per socket is fine for the ~100 sockets of an echo run; relay's thousands of
 * sockets use {@link NioWebSockets} (one selector thread), hold stays on the JDK client. Text frames only; answers pings; not
 * thread-safe (one loop thread owns one socket).
 */
final class BlockingWebSocket implements AutoCloseable {

    private static final int MAX_MESSAGE = 1 << 20;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] frame = new byte[1024];

    BlockingWebSocket(URI uri, int timeoutMs) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMs);
        socket.connect(new InetSocketAddress(WsFrames.host(uri), WsFrames.port(uri)), timeoutMs);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        String key = WsFrames.newKey();
        out.write(WsFrames.upgradeRequest(uri, key));
        out.flush();
        var lines = new ArrayList<String>();
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            lines.add(h);
        }
        try {
            WsFrames.checkResponse(lines.toArray(String[]::new), key);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Sends one masked text frame. */
    void sendText(String text) throws IOException {
        writeFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void writeFrame(int opcode, byte[] payload) throws IOException {
        int n = WsFrames.maskedFrameLength(payload.length);
        if (frame.length < n) {
            frame = new byte[Math.max(n, frame.length * 2)];
        }
        WsFrames.putMaskedFrame(ByteBuffer.wrap(frame), opcode, payload);
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
                    int code = WsFrames.closeCode(payload, payload.length);
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
