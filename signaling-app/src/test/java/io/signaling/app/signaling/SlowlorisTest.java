package io.signaling.app.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fault 5 of docs/reliability.md: slowloris. Many sockets send a request head one byte at a time
 * and never finish it; the listener's request-parse timeout closes every one of them, and health
 * probes keep being answered meanwhile. Their latency is printed, not asserted.
 */
class SlowlorisTest {

    private static final int SOCKETS = 100;
    /** Parse timeout (10 s) plus generous slack for a loaded machine; the test ends as soon as all are closed. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final List<Socket> sockets = new ArrayList<>();
    private SignalingTestNode node;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void headersTrickledAByteAtATimeAreCutOffAndProbesKeepAnswering() throws Exception {
        node = SignalingTestNode.start();
        int port = node.node().publicAddress().getPort();
        for (int i = 0; i < SOCKETS; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(1);
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
            sockets.add(socket);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI live = URI.create("http://127.0.0.1:" + port + "/health/live");

        long start = System.nanoTime();
        long deadline = start + DEADLINE.toNanos();
        boolean[] closed = new boolean[SOCKETS];
        int closedCount = 0;
        long worstProbeMs = 0;
        int probes = 0;
        while (closedCount < SOCKETS && System.nanoTime() < deadline) {
            for (int i = 0; i < SOCKETS; i++) {
                if (!closed[i] && isClosedByServer(sockets.get(i))) {
                    closed[i] = true;
                    closedCount++;
                }
            }
            long probeStart = System.nanoTime();
            HttpResponse<String> probe = http.send(HttpRequest.newBuilder(live).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(probe.statusCode()).as("a health probe during the attack").isEqualTo(200);
            worstProbeMs = Math.max(worstProbeMs, (System.nanoTime() - probeStart) / 1_000_000);
            probes++;
            Thread.sleep(250); // the attacker's pace: one byte per socket per round
        }
        System.out.printf("slowloris: %d/%d sockets closed by the server after %d ms; %d probes, slowest %d ms%n",
                closedCount, SOCKETS, (System.nanoTime() - start) / 1_000_000, probes, worstProbeMs);
        assertThat(closedCount).as("sockets closed by the request-parse timeout").isEqualTo(SOCKETS);
    }

    /** Sends the next header byte; true once the server has closed the connection. */
    private static boolean isClosedByServer(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                // Nothing to read: the server is still waiting for the head.
            }
            socket.getOutputStream().write('a');
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
