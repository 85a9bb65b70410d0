package io.signaling.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RFC 6455 client-side pieces shared by the blocking echo client and the selector client: the
 * upgrade request, the Sec-WebSocket-Accept check and masked frame encoding.
 */
final class WsFrames {

    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WsFrames() {
    }

    /** A fresh random Sec-WebSocket-Key (16 random bytes, base64). */
    static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 80;
    }

    static String host(URI uri) {
        return uri.getHost().replace("[", "").replace("]", "");
    }

    /** The HTTP/1.1 upgrade request for {@code uri} with {@code key}. */
    static byte[] upgradeRequest(URI uri, String key) {
        return upgradeRequest(uri, key, null);
    }

    /** As {@link #upgradeRequest(URI, String)}, asking for {@code subprotocol} when not null. */
    static byte[] upgradeRequest(URI uri, String key, String subprotocol) {
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port(uri)
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13"
                + (subprotocol == null ? "" : "\r\nSec-WebSocket-Protocol: " + subprotocol)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
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

    /**
     * Checks the upgrade response: status line first, then header lines (without CRLF, the blank
     * line excluded). Throws when the server refused or answered with the wrong accept value.
     */
    static void checkResponse(String[] lines, String key) throws IOException {
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 101")) {
            throw new IOException("WebSocket handshake refused: '" + (lines.length == 0 ? "" : lines[0]) + "'");
        }
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            String h = lines[i];
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                accept = h.substring(colon + 1).trim();
            }
        }
        if (!expectedAccept(key).equals(accept)) {
            throw new IOException("bad Sec-WebSocket-Accept in handshake: " + accept);
        }
    }

    /** Bytes a masked client frame with {@code payloadLength} bytes of payload takes on the wire. */
    static int maskedFrameLength(int payloadLength) {
        int header = payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
        return header + 4 + payloadLength;
    }

    /**
     * Writes one final, masked client frame into {@code dst}, which must have
     * {@link #maskedFrameLength} bytes remaining.
     */
    static void putMaskedFrame(ByteBuffer dst, int opcode, byte[] payload) {
        int n = payload.length;
        dst.put((byte) (0x80 | opcode));
        if (n < 126) {
            dst.put((byte) (0x80 | n));
        } else if (n < 65536) {
            dst.put((byte) (0x80 | 126));
            dst.putShort((short) n);
        } else {
            dst.put((byte) (0x80 | 127));
            dst.putLong(n);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        dst.putInt(mask);
        byte m0 = (byte) (mask >>> 24);
        byte m1 = (byte) (mask >>> 16);
        byte m2 = (byte) (mask >>> 8);
        byte m3 = (byte) mask;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            dst.put((byte) (payload[i] ^ m0));
            dst.put((byte) (payload[i + 1] ^ m1));
            dst.put((byte) (payload[i + 2] ^ m2));
            dst.put((byte) (payload[i + 3] ^ m3));
        }
        for (; i < n; i++) {
            dst.put((byte) (payload[i] ^ switch (i & 3) {
                case 0 -> m0;
                case 1 -> m1;
                case 2 -> m2;
                default -> m3;
            }));
        }
    }

    /** The close status in a close frame's payload, 1005 (no status) when it carries none. */
    static int closeCode(byte[] payload, int length) {
        return length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
}
