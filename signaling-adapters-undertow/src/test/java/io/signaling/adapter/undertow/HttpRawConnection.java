package io.signaling.adapter.undertow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 keep-alive connection driven by hand, so a test controls which connection a
 * request travels on (the JDK client's pool decides that on its own).
 */
final class HttpRawConnection implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    HttpRawConnection(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Whether a connection attempt to {@code address} is refused right now. */
    static boolean connectionRefused(InetSocketAddress address) throws IOException {
        try (Socket probe = new Socket()) {
            probe.connect(address, READ_TIMEOUT_MILLIS);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    Response get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    /** Writes {@code request} as is (head and whatever part of a body) and reads one response. */
    Response send(String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = readLine();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("body ended after " + body.length + " of " + length + " bytes");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server closed its side: the next read sees end of stream. */
    boolean isClosedByServer() throws IOException {
        return in.read() == -1;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new IOException("connection closed by the server mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
