package io.signaling.ports.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} as a child process on a free loopback port, without persistence
 * ({@code --save '' --appendonly no}), for tests that need the real thing. It is stopped by its
 * PID only (never by name: other people's redis-servers run on the same machine). Skips the test
 * (fails under CI) when redis-server is not installed.
 *
 * <p>Also drives the faults tests need: a crash and restart on the same port, SIGSTOP/SIGCONT,
 * and raw commands ({@code CLIENT KILL}, {@code FLUSHALL}) spoken in RESP without redis-cli.
 */
public final class RedisServer implements AutoCloseable {

    private final Path binary;
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Path configFile;
    private Process process;

    private RedisServer(Path binary, int port, Path dir, List<String> extraArgs) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    /**
     * Starts a Sentinel ({@code redis-server <conf> --sentinel}) on a free port that monitors the
     * master {@code masterName} at 127.0.0.1:{@code masterPort} with quorum {@code quorum}; it
     * declares the master down after one second without an answer.
     */
    public static RedisServer startSentinel(String masterName, int masterPort, int quorum) throws IOException {
        Path binary = RequiredPrograms.require("redis-server", "apt-get install redis-server");
        RedisServer server = new RedisServer(binary, freePort(), Files.createTempDirectory("redis-sentinel-test"), List.of());
        // Sentinel rewrites its config file, so it gets one of its own.
        server.configFile = server.dir.resolve("sentinel.conf");
        Files.writeString(server.configFile, String.join("\n",
                "port " + server.port,
                "bind 127.0.0.1",
                "protected-mode no",
                "dir " + server.dir,
                "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " " + quorum,
                "sentinel down-after-milliseconds " + masterName + " 1000",
                "sentinel failover-timeout " + masterName + " 10000",
                "sentinel parallel-syncs " + masterName + " 1", ""));
        server.launch();
        return server;
    }

    /** Starts a standalone server on a free port. */
    public static RedisServer start(String... extraArgs) throws IOException {
        Path binary = RequiredPrograms.require("redis-server", "apt-get install redis-server");
        RedisServer server = new RedisServer(binary, freePort(), Files.createTempDirectory("redis-test"), List.of(extraArgs));
        server.launch();
        return server;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void launch() throws IOException {
        List<String> command = configFile != null
                ? new ArrayList<>(List.of(binary.toString(), configFile.toString(), "--sentinel"))
                : new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                        "--protected-mode", "no"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited with " + process.exitValue() + ": "
                            + Files.readString(dir.resolve("redis.log")));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("redis-server did not answer PING on port " + port);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    /** SIGKILL by PID, as a crash. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** A crash and a start again on the same port: every key is gone. */
    public void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    /** {@code kill -STOP <pid>}: the process holds its sockets open but answers nothing. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** {@code kill -CONT <pid>}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /**
     * Sends one command on a fresh connection and returns the first line of the reply (for
     * {@code +OK}, {@code :3}, {@code +PONG}); a bulk reply returns its whole payload.
     */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(5_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            String line = readLine(in);
            if (line.startsWith("$") && !line.equals("$-1")) {
                byte[] payload = in.readNBytes(Integer.parseInt(line.substring(1)));
                return new String(payload, StandardCharsets.UTF_8);
            }
            return line;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    /** The number of client connections now, this one's excluded. */
    public int connectedClients() throws IOException {
        for (String line : command("INFO", "clients").split("\r\n")) {
            if (line.startsWith("connected_clients:")) {
                return Integer.parseInt(line.substring("connected_clients:".length()).trim()) - 1;
            }
        }
        throw new IOException("INFO clients without connected_clients");
    }

    /** Stops the server by its PID (a paused one is resumed first so it can die). */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                resume();
            } catch (IOException ignored) {
                // Dying anyway.
            }
            kill();
        }
    }
}
