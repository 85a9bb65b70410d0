package io.signaling.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signaling.benchmarks.json.MiniJson;
import io.signaling.ports.testing.RedisServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster of two node processes (separate JVMs, one real redis-server) under a steady relay load
 * between protocol v1.1 clients of the load tool, each room spread over both nodes. One node is
 * stopped with SIGTERM: its clients get {@code goaway}, cannot reach it again and resume on the
 * other node, which takes their sessions over. Zero {@code peer-left}, zero relays lost,
 * duplicated or reordered, every client ends on the surviving node. Then the same load when the
 * node is killed (SIGKILL): its clients cannot resume (a new session, {@code resumed:false}) and
 * each room-mate hears exactly one {@code peer-left}, from the dead node's cleanup.
 */
class ClusterDrainIT {

    /**
     * The production defaults (lease 10 s, command timeout 3 s): a starved CI machine neither fences a
     * healthy node nor answers relays {@code unavailable} because Redis took a second to reply.
     */
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final int CONNECTIONS = 20;

    private RedisServer redis;
    private final List<Node> nodes = new ArrayList<>();

    /** One node process; its stdout is read for the startup line. */
    private static final class Node implements AutoCloseable {
        final Process process;
        final List<String> stdout = new CopyOnWriteArrayList<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();

        Node(Process process) {
            this.process = process;
            drain(process.getInputStream(), stdout);
            drain(process.getErrorStream(), stderr);
        }

        private static void drain(java.io.InputStream in, List<String> lines) {
            Thread t = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // Killed: what was read is kept.
                }
            }, "node-output");
            t.setDaemon(true);
            t.start();
        }

        /** The public WebSocket URL from the startup log line. */
        String awaitWs() {
            String[] found = new String[1];
            await("the startup line").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                assertThat(process.isAlive()).as("node alive: %s %s", stdout, stderr).isTrue();
                for (String line : stdout) {
                    if (line.startsWith("{") && line.contains("\"started\"")) {
                        Map<String, String> json = MiniJson.parseObject(line);
                        String url = MiniJson.string(json, "public");
                        if ("started".equals(MiniJson.string(json, "message")) && url != null) {
                            found[0] = java.net.URI.create(url).resolve("/ws").toString().replaceFirst("^http", "ws");
                            return true;
                        }
                    }
                }
                return false;
            });
            return found[0];
        }

        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();
        }

        /** What went wrong on the node, for a failure's message: its warnings and errors. */
        String trouble() {
            return String.join("\n", stdout.stream().filter(l -> l.contains("\"WARN\"") || l.contains("\"ERROR\"")).toList())
                    + String.join("\n", stderr);
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Node node : nodes) {
            node.close();
        }
        nodes.clear();
        if (redis != null) {
            redis.close();
        }
    }

    private Node node() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, "io.signaling.app.Main",
                "--server.host=127.0.0.1", "--server.port=0", "--admin.enabled=false",
                "--shutdown.readiness-delay=0s", "--shutdown.drain-timeout=10s",
                "--redis.enabled=true", "--redis.uri=" + redis.uri(), "--redis.node-ttl=" + TTL.toMillis() + "ms",
                "--redis.command-timeout=3s",
                // A resumed client sends again what the server had not processed, at once: the default
                // per-connection rate limit would drop part of that backlog (rate limiting comes first).
                "--rate-limit.messages-per-second=1000", "--rate-limit.burst=1000"));
        Node node = new Node(new ProcessBuilder(command).start());
        nodes.add(node);
        return node;
    }

    private record Run(int code, Map<String, String> summary, String err) {
        long num(String key) {
            return Long.parseLong(summary.get(key));
        }

        long resume(String key) {
            return Long.parseLong(MiniJson.parseObject(summary.get("resume")).get(key));
        }
    }

    private static Run run(ByteArrayOutputStream err, String... args) {
        var out = new ByteArrayOutputStream();
        int code = LoadTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, MiniJson.parseObject(out.toString(StandardCharsets.UTF_8).trim()),
                err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Relays flow between the nodes (every room spans both): the tool's progress line reports
     * deliveries (it prints one a second, so the load has run a while when this returns).
     */
    private static void awaitRelaysFlowing(ByteArrayOutputStream err) {
        java.util.regex.Pattern delivered = java.util.regex.Pattern.compile("delivered=(\\d+)");
        await("relays flowing").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            java.util.regex.Matcher m = delivered.matcher(err.toString(StandardCharsets.UTF_8));
            long last = 0;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last >= 2L * CONNECTIONS;
        });
    }

    /**
     * @param duration long enough for what the test waits for (a drain, or a dead node's cleanup after its lease)
     * @param grace    how long the tool waits for relays still on their way (it stops early once all arrived)
     */
    private CompletableFuture<Run> load(ByteArrayOutputStream err, String drainedWs, String staysWs, String duration,
                                        String grace) {
        return CompletableFuture.supplyAsync(() -> run(err, "relay", "--url", drainedWs, "--url2", staysWs,
                "--connections", Integer.toString(CONNECTIONS), "--room-size", "2", "--rate", "20",
                "--duration", duration, "--grace", grace, "--protocol", "v1.1"));
    }

    @Test
    void aSigtermedNodesV11ClientsResumeOnTheOtherNodeWithNoPeerLeftAndNoRelayLostOrDuplicated() throws Exception {
        Node stays = node();
        Node drained = node();
        String staysWs = stays.awaitWs();
        String drainedWs = drained.awaitWs();
        var err = new ByteArrayOutputStream();
        CompletableFuture<Run> running = load(err, drainedWs, staysWs, "15s", "60s");
        awaitRelaysFlowing(err);

        drained.signal("TERM");
        assertThat(drained.process.waitFor(60, TimeUnit.SECONDS)).as("the drained node exits").isTrue();
        Run r = running.get(120, TimeUnit.SECONDS);

        assertThat(r.code()).as("%s%n%s%nsurvivor: %s%ndrained: %s", r.err(), r.summary(), stays.trouble(),
                drained.trouble()).isZero();
        assertThat(r.num("peerLeft")).as("no room-mate heard a leave: %s", r.summary()).isZero();
        assertThat(r.num("lost")).isZero();
        assertThat(r.num("duplicated")).isZero();
        assertThat(r.num("reordered")).isZero();
        assertThat(r.num("delivered")).isEqualTo(r.num("sent")).isPositive();
        assertThat(r.num("goaway")).as("every client of the drained node was told").isEqualTo(CONNECTIONS / 2);
        assertThat(r.resume("resumed")).as("each of them resumed on the other node").isEqualTo(CONNECTIONS / 2);
        assertThat(r.resume("notResumed")).isZero();
        assertThat(r.resume("seqGaps")).isZero();
        assertThat(r.resume("duplicateSeq")).isZero();
        assertThat(r.num("stillOpen")).as("every client ends on the surviving node").isEqualTo(CONNECTIONS);
        assertThat(stays.process.isAlive()).isTrue();
    }

    @Test
    void aKilledNodesV11ClientsCannotResumeAndEachRoomMateHearsOnePeerLeft() throws Exception {
        Node stays = node();
        Node killed = node();
        String staysWs = stays.awaitWs();
        String killedWs = killed.awaitWs();
        var err = new ByteArrayOutputStream();
        CompletableFuture<Run> running = load(err, killedWs, staysWs, "25s", "5s");
        awaitRelaysFlowing(err);

        killed.signal("KILL");
        assertThat(killed.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Run r = running.get(120, TimeUnit.SECONDS);

        assertThat(r.resume("notResumed")).as("a dead node hands nothing over: %s%nsurvivor: %s", r.summary(),
                        stays.trouble())
                .isEqualTo(CONNECTIONS / 2);
        assertThat(r.resume("resumed")).isZero();
        assertThat(r.num("peerLeft")).as("one peer-left per room-mate of a dead peer: %s", r.summary())
                .isEqualTo(CONNECTIONS / 2);
        assertThat(r.num("duplicated")).isZero();
        assertThat(r.num("reordered")).isZero();
        assertThat(r.resume("seqGaps")).isZero();
        assertThat(stays.process.isAlive()).isTrue();
    }
}
