package io.signaling.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection doing GETs, on a plain blocking socket.
 *
 * <p>Why not the JDK {@code HttpClient}: it hands every request through several executor tasks
 * and, pinned to one core, tops out far below the servers it is meant to load (measured here:
 * under 1,000 req/s against a baseline that serves ~20,000 on one raw socket), so the ratio
 * app/bare would measure the client. Handles Content-Length and chunked bodies and reconnects
 * when the server closes. Not thread-safe: one loop thread owns one connection.
 */
final class Http1Connection implements AutoCloseable {

    private static final int TIMEOUT_MS = 10_000;
    private final InetSocketAddress address;
    private final byte[] request;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final StringBuilder line = new StringBuilder(128);

    Http1Connection(URI uri) {
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        this.address = new InetSocketAddress(uri.getHost().replace("[", "").replace("]", ""), port);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + (uri.getPort() > 0 ? ":" + port : "")
                + "\r\nUser-Agent: signaling-load\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one GET and reads the whole response; returns the status code. */
    int get() throws IOException {
        if (socket == null) {
            connect();
        }
        out.write(request);
        out.flush();
        String status = readLine();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: '" + status + "'");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = status.startsWith("HTTP/1.0");
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        if (chunked) {
            while (true) {
                String size = readLine();
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                skip(n);
                readLine();
            }
        } else if (length >= 0) {
            skip(length);
        } else if (code != 204 && code != 304) {
            // No framing: the body runs to the end of the connection.
            while (in.read() >= 0) {
                // drain
            }
            close = true;
        }
        if (close) {
            close();
        }
        return code;
    }

    private void connect() throws IOException {
        var s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(TIMEOUT_MS);
        s.connect(address, TIMEOUT_MS);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-response");
            }
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            if (line.length() > 16 * 1024) {
                throw new IOException("header line longer than 16 KiB");
            }
            line.append((char) b);
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed mid-body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Nothing left to release.
            }
            socket = null;
        }
    }
}
