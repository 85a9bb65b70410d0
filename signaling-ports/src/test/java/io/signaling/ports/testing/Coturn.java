package io.signaling.ports.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn {@code turnserver}, started as a child process on a free loopback port with TURN
 * REST authentication ({@code --use-auth-secret}) and stopped by its PID; plus
 * {@code turnutils_uclient} runs against it. Skips (fails under {@code CI=true}) when coturn is
 * not installed. Nothing leaves 127.0.0.1: peers on loopback are allowed, relays bind 127.0.0.1.
 *
 * <p>Not thread-safe: one test uses one instance.
 */
public final class Coturn implements AutoCloseable {

    public static final String INSTALL = "apt-get install coturn";
    public static final String REALM = "signaling.test";

    /** What one {@code turnutils_uclient} run did. */
    public record ClientRun(int exitCode, String output) {
        /**
         * Whether the allocation worked and every message sent through the relay came back: the
         * client's final tally ({@code start_mclient: tot_send_msgs=N, tot_recv_msgs=N}, counted
         * over its RTP and RTCP sessions) has at least {@code messages} sent and all received.
         */
        public boolean relayed(int messages) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("start_mclient: tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)").matcher(output);
            String sent = null;
            String received = null;
            while (m.find()) {
                sent = m.group(1);
                received = m.group(2);
            }
            return exitCode == 0 && sent != null && Integer.parseInt(sent) >= messages && sent.equals(received);
        }

        /** Whether the server refused the allocation (coturn answers a bad credential with 401). */
        public boolean refused() {
            return exitCode != 0 && output.contains("Cannot complete Allocation");
        }
    }

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;

    private Coturn(Process process, int port, Path dir, Path log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
    }

    /** Starts coturn accepting credentials signed by any of {@code secrets}; waits until it listens. */
    public static Coturn start(List<String> secrets) throws IOException, InterruptedException {
        Path turnserver = RequiredPrograms.require("turnserver", INSTALL);
        RequiredPrograms.require("turnutils_uclient", INSTALL);
        Path dir = Files.createTempDirectory("coturn-");
        Path config = Files.writeString(dir.resolve("turnserver.conf"), "# the test's flags say everything\n");
        Path log = dir.resolve("turnserver.log");
        int port = freeUdpAndTcpPort();
        int relayBase = 20_000 + ThreadLocalRandom.current().nextInt(0, 40) * 1_000;
        List<String> command = new ArrayList<>(List.of(turnserver.toString(),
                "-c", config.toString(),
                "--use-auth-secret",
                "--realm=" + REALM,
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                "--listening-port=" + port,
                "--min-port=" + relayBase, "--max-port=" + (relayBase + 999),
                "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli",
                "--userdb=" + dir.resolve("turndb"),
                "--pidfile=" + dir.resolve("turnserver.pid"),
                "--log-file=stdout", "--simple-log", "--no-software-attribute"));
        for (String secret : secrets) {
            command.add("--static-auth-secret=" + secret);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Coturn coturn = new Coturn(process, port, dir, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!coturn.log().contains("Total General servers")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = coturn.log();
                coturn.close();
                throw new IllegalStateException("turnserver did not start:\n" + output);
            }
            Thread.sleep(20);
        }
        return coturn;
    }

    /** The listening port (UDP and TCP) on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code turn:127.0.0.1:<port>?transport=udp}. */
    public String turnUrl() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    /**
     * Allocates a relay with these credentials and sends {@code messages} through it to a peer on
     * loopback (the client itself, {@code -y}), as a WebRTC endpoint would.
     */
    public ClientRun allocateAndRelay(String username, String password, int messages)
            throws IOException, InterruptedException {
        Path uclient = RequiredPrograms.require("turnutils_uclient", INSTALL);
        Path out = Files.createTempFile(dir, "uclient-", ".txt");
        Process client = new ProcessBuilder(uclient.toString(), "-y", "-n", String.valueOf(messages), "-m", "1",
                "-l", "100", "-u", username, "-w", password, "-p", String.valueOf(port), "-e", "127.0.0.1",
                "127.0.0.1").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!client.waitFor(120, TimeUnit.SECONDS)) {
            client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return new ClientRun(-1, Files.readString(out, StandardCharsets.UTF_8) + "\n(timed out)");
        }
        return new ClientRun(client.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** Everything turnserver logged so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the child by its PID (TERM, then KILL after 10 s) and removes its directory. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** A port free on 127.0.0.1 for both UDP and TCP at the moment of asking. */
    public static int freeUdpAndTcpPort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 100; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
                int candidate = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(loopback, candidate));
                    return candidate;
                } catch (IOException busy) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
    }

    /** For messages: how long a test may wait on coturn. */
    public static Duration patience() {
        return Duration.ofMinutes(2);
    }
}
