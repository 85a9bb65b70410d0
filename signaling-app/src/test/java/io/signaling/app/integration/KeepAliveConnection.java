package io.signaling.app.integration;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket, so a test decides exactly which
 * request travels on which connection (the JDK client pools connections out of sight). Reads
 * {@code Content-Length} and chunked bodies; every read is bounded by the socket timeout.
 */
final class KeepAliveConnection implements AutoCloseable {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    KeepAliveConnection(InetSocketAddress address) throws IOException {
        this.socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    Response get(String path) throws IOException {
        return request("GET", path);
    }

    /**
     * Sends a body-less request and reads the response. For HEAD no body is read, whatever the
     * headers announce: a server that sent one anyway corrupts the next response on this connection.
     */
    Response request(String method, String path) throws IOException {
        String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read("HEAD".equals(method));
    }

    private Response read(boolean headersOnly) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body;
        if (headersOnly) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                chunks.write(in.readNBytes(size));
                line();
            }
            line();
            body = chunks.toByteArray();
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
            }
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed by the server");
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
