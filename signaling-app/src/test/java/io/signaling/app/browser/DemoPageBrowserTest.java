package io.signaling.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signaling.app.SignalingNode;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import io.signaling.app.config.SignalingConfig;
import io.signaling.ports.testing.RequiredPrograms;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two real headless Chromium pages open the demo page of a real node, join one room through it,
 * negotiate WebRTC with perfect negotiation, and hold a call: a data-channel message arrives each
 * way and each side decodes remote video frames from Chromium's fake camera; then one hangs up and
 * the other sees it leave. Screenshots and the browser-side log land in
 * {@code target/browser-test/<room>/}.
 *
 * <p>Chromium runs inside a fresh network namespace that holds only {@code lo} (ICE would otherwise
 * probe every interface of the machine); the node runs here, on the host's 127.0.0.1. The two meet
 * through a Unix socket: {@code two-peers.mjs} listens on 127.0.0.1:&lt;node port&gt; inside the
 * namespace and pipes each connection to the socket, {@link UnixSocketRelay} pipes it on to the node.
 * Page and WebSocket thus share one origin, as for a person opening the page.
 *
 * <p>Needs root (for {@code unshare --net}), Debian's {@code chromium}, {@code node}, and
 * {@code npm ci} in {@code signaling-app/src/test/browser} (the build runs it where npm exists);
 * missing any of them skips the test with what to install, and fails it under {@code CI=true}
 * ({@link RequiredPrograms}). It is tagged so it can be picked out ({@code -Dgroups=browser}) but is
 * not excluded from the default build: CI runs it.
 */
@Tag("browser")
class DemoPageBrowserTest {

    /**
     * The script's own deadline for the whole scenario once the browser runs: a bound, not a speed
     * check. Pinned to one core (CI's second pass) two pages load, call and take screenshots in
     * about 30 s, so the bound leaves room for that.
     */
    private static final long SCENARIO_TIMEOUT_MS = 60_000;
    /** Ours on top: browser start, page loads, screenshots, and the script's watchdog. */
    private static final long PROCESS_TIMEOUT_S = 120;

    private final Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private final Path scriptDir = moduleDir.resolve("src/test/browser");
    private SignalingNode node;
    private UnixSocketRelay relay;
    private Path socketDir;
    private Process browser;
    private String room;
    private Path chromium;

    @BeforeEach
    void startNode() throws Exception {
        requirePrerequisites();
        startNode(Map.of());
    }

    private void startNode(Map<String, String> flags) throws Exception {
        ConfigRequest request = ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("admin.port", "0")
                .withFlag("shutdown.readiness-delay", "0s")
                .withFlag("shutdown.drain-timeout", "2s");
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            request = request.withFlag(flag.getKey(), flag.getValue());
        }
        SignalingConfig config = new ConfigLoader().load(request);
        node = SignalingNode.builder(config).build();
        node.start();
        // /tmp keeps the path well under the 108-byte limit of a Unix socket address.
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "signaling-browser-");
        relay = UnixSocketRelay.start(socketDir.resolve("node.sock"), node.publicAddress());
    }

    @AfterEach
    void stopAll() throws IOException {
        if (browser != null && browser.isAlive()) {
            killTree(browser);
        }
        if (relay != null) {
            relay.close();
        }
        if (node != null) {
            node.shutdown();
        }
        if (socketDir != null) {
            Files.deleteIfExists(socketDir);
        }
    }

    @Test
    void twoTabsOpeningTheRoomLinkHoldACall() throws Exception {
        JsonNode result = runScenario("--join=url");

        assertCallHeld(result);
    }

    @Test
    void simultaneousJoinsAndCrossingOffersStillEndInACall() throws Exception {
        JsonNode result = runScenario("--join=together", "--glare=true");

        // Each side saw the other's offer arrive while it had one of its own out: a real collision,
        // which the polite side resolved by rolling back and the impolite side by ignoring the offer.
        assertThat(result.path("glare").path("collisions").path("alice").asInt()).as("collisions seen by alice").isPositive();
        assertThat(result.path("glare").path("collisions").path("bob").asInt()).as("collisions seen by bob").isPositive();
        assertCallHeld(result);
    }

    /**
     * Mid-call, alice's network goes away: the test's proxy cuts her page's WebSocket (no close frame)
     * and holds her reconnection while bob restarts ICE, so his offer waits in the server. When the
     * network returns, her page resumes the same session on its own (showing "reconnecting" meanwhile),
     * gets the offer replayed and answers: the call renegotiates and goes on, video frames keep being
     * decoded on both sides, the chat works both ways, and neither page ever saw peer-left.
     */
    @Test
    void aCallSurvivesItsWebSocketBeingCut() throws Exception {
        // The cut, the held reconnection, an ICE restart and fresh frames come on top of the call.
        JsonNode result = runScenario("--cut=alice", "--timeout-ms=" + 2 * SCENARIO_TIMEOUT_MS);

        JsonNode cut = result.path("cut");
        assertThat(cut.path("cutConnections").asInt()).as("alice's connections the proxy cut").isPositive();
        assertThat(cut.path("reconnectingShown").asText()).as("alice's page while away").contains("reconnecting");
        assertThat(cut.path("stillAwayWhenBobOffered").asText()).as("alice when bob's offer went out").isEqualTo("reconnecting");
        assertThat(cut.path("samePeerId").asBoolean()).as("alice resumed as the same peer").isTrue();
        assertThat(cut.path("alice").path("stats").path("resumes").asInt()).isEqualTo(1);
        assertThat(cut.path("alice").path("resets").asInt()).as("alice's sessions lost").isZero();
        assertThat(cut.path("alice").path("states").toString()).isEqualTo("[\"connecting\",\"open\",\"reconnecting\",\"open\"]");
        assertThat(cut.path("bob").path("states").toString()).as("bob's connection never moved").isEqualTo("[\"connecting\",\"open\"]");
        assertThat(cut.path("bob").path("peerLeft").asInt()).as("peer-left seen by bob").isZero();
        assertThat(cut.path("alice").path("peerLeft").asInt()).as("peer-left seen by alice").isZero();
        for (int i = 0; i < 2; i++) {
            assertThat(cut.path("framesLater").get(i).asLong()).as("frames decoded by page %d after the resume", i)
                    .isGreaterThanOrEqualTo(cut.path("framesAfterResume").get(i).asLong() + 20)
                    .isGreaterThan(cut.path("framesBefore").get(i).asLong());
        }
        assertThat(cut.path("chatAfterResume")).hasSize(2);
        assertCallHeld(result);
    }

    /**
     * Tokens on, and TURN only: both pages take their access token from the link, get TURN
     * credentials in {@code welcome.iceServers} and force {@code iceTransportPolicy: "relay"}, so
     * media can flow only through a real coturn (started inside Chromium's network namespace,
     * where the pages' 127.0.0.1 is, with the server's shared secret) using the server's
     * credentials. Each page decodes the other's video and its selected candidate pair is relay on
     * both ends; each shows the other's identity.
     */
    @Test
    void aTurnOnlyCallWithAccessTokensRelaysThroughCoturn() throws Exception {
        io.signaling.ports.testing.RequiredPrograms.require("turnserver", io.signaling.ports.testing.Coturn.INSTALL);
        String secret = "browser-turn-secret-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        String jwtSecret = "browser-jwt-secret-of-at-least-32-bytes";
        int turnPort = io.signaling.ports.testing.Coturn.freeUdpAndTcpPort();
        relay.close();
        node.shutdown();
        Files.deleteIfExists(socketDir);
        startNode(Map.of(
                "auth.mode", "jwt",
                "auth.jwt.keys", "[{kid: k1, alg: HS256, secret: \"" + jwtSecret + "\"}]",
                "turn.urls", "turn:127.0.0.1:" + turnPort + "?transport=udp",
                "turn.secrets", secret));
        room = newRoom();
        List<String> tokens = new ArrayList<>();
        for (String who : List.of("alice", "bob")) {
            tokens.add(io.signaling.adapter.jwt.JwtVerifiers.mintHmac("k1", "HS256",
                    jwtSecret.getBytes(StandardCharsets.UTF_8), who, io.signaling.domain.signaling.RoomId.of(room),
                    "signaling", java.time.Instant.now(), java.time.Duration.ofMinutes(10)));
        }
        Path turnDir = Files.createTempDirectory(Path.of("/tmp"), "signaling-turn-");
        Files.writeString(turnDir.resolve("turnserver.conf"), "# flags only\n");
        // coturn runs in the namespace next to Chromium and is stopped by its PID when the scenario ends.
        String script = "ip link set lo up || exit 1\n"
                + "turnserver -c \"$TURN_DIR/turnserver.conf\" --use-auth-secret --static-auth-secret=\"$TURN_SECRET\""
                + " --realm=signaling.test --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port=$TURN_PORT"
                + " --min-port=50000 --max-port=50999 --allow-loopback-peers --no-tls --no-dtls --no-cli"
                + " --userdb=\"$TURN_DIR/turndb\" --pidfile=\"$TURN_DIR/pid\" --log-file=stdout --simple-log --verbose"
                + " > \"$TURN_DIR/turnserver.log\" 2>&1 &\n"
                + "T=$!\n"
                + "i=0; until grep -q 'Total General servers' \"$TURN_DIR/turnserver.log\"; do i=$((i+1));"
                + " if [ $i -gt 600 ] || ! kill -0 $T 2>/dev/null; then echo 'turnserver did not start' >&2; break; fi;"
                + " sleep 0.1; done\n"
                + "node two-peers.mjs \"$@\"; rc=$?\n"
                + "kill $T; wait $T\n"
                + "exit $rc\n";
        try {
            JsonNode result = runScenario(script, Map.of("TURN_DIR", turnDir.toString(), "TURN_SECRET", secret,
                    "TURN_PORT", String.valueOf(turnPort)), "--relay=1", "--tokens=" + String.join(",", tokens),
                    // Relay-only ICE adds TURN allocations on top of a loaded machine's page loads.
                    "--timeout-ms=" + 3 * SCENARIO_TIMEOUT_MS);
            assertCallHeld(result);
            JsonNode alice = result.path("peers").get(0);
            JsonNode bob = result.path("peers").get(1);
            for (JsonNode[] pair : new JsonNode[][] {{alice, bob}, {bob, alice}}) {
                String name = pair[0].path("name").asText();
                assertThat(pair[0].path("identity").asText()).as("%s's own identity", name).isEqualTo(name);
                assertThat(pair[0].path("identities").path(pair[1].path("peerId").asText()).asText())
                        .as("who %s sees", name).isEqualTo(pair[1].path("name").asText());
                assertThat(pair[0].path("candidateTypes")).as("%s's selected candidate pair", name).isNotEmpty()
                        .allSatisfy(p -> assertThat(p).extracting(JsonNode::asText).containsExactly("relay", "relay"));
            }
            assertThat(Files.readString(turnDir.resolve("turnserver.log"), StandardCharsets.ISO_8859_1))
                    .as("coturn allocated relays for the pages").contains("ALLOCATE processed, success");
        } finally {
            try (var files = Files.walk(turnDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String newRoom() {
        byte[] nonce = new byte[6];
        new SecureRandom().nextBytes(nonce);
        return "browser-" + HexFormat.of().formatHex(nonce);
    }

    /** Runs two-peers.mjs in a fresh network namespace; its RESULT, once it exited 0. */
    private JsonNode runScenario(String... scenarioArgs) throws Exception {
        room = newRoom();
        return runScenario("ip link set lo up && exec node two-peers.mjs \"$@\"", Map.of(), scenarioArgs);
    }

    private JsonNode runScenario(String script, Map<String, String> env, String... scenarioArgs) throws Exception {
        int port = node.publicAddress().getPort();
        Path artifacts = moduleDir.resolve("target/browser-test").resolve(room);
        Files.createDirectories(artifacts);
        Path stdout = artifacts.resolve("node-stdout.log");
        Path stderr = artifacts.resolve("node-stderr.log");

        List<String> command = new ArrayList<>(List.of(
                "unshare", "--net", "--", "sh", "-c", script, "two-peers",
                "--port=" + port,
                "--socket=" + relay.socketPath(),
                "--room=" + room,
                "--chromium=" + chromium,
                "--artifacts=" + artifacts,
                "--timeout-ms=" + SCENARIO_TIMEOUT_MS));
        command.addAll(List.of(scenarioArgs));
        long processTimeoutS = PROCESS_TIMEOUT_S
                * (List.of(scenarioArgs).contains("--relay=1") ? 3 : List.of(scenarioArgs).contains("--cut=alice") ? 2 : 1);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        browser = builder
                .directory(scriptDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();

        if (!browser.waitFor(processTimeoutS, TimeUnit.SECONDS)) {
            killTree(browser);
            fail("two-peers.mjs did not finish within %d s; killed it.%n%s", processTimeoutS, output(stdout, stderr));
        }
        int exit = browser.exitValue();
        JsonNode result = resultLine(Files.readString(stdout, StandardCharsets.UTF_8));
        assertThat(result)
                .withFailMessage("two-peers.mjs exited %d without a RESULT line.%n%s", exit, output(stdout, stderr))
                .isNotNull();
        assertThat(exit)
                .withFailMessage("two-peers.mjs exited %d: %s%nscreenshots in %s%n%s",
                        exit, result.path("error").asText(), artifacts, output(stdout, stderr))
                .isZero();
        return result;
    }

    private void assertCallHeld(JsonNode result) {
        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(relay.acceptedConnections())
                .as("connections that came through the namespace's only way out")
                .isGreaterThanOrEqualTo(2);
        JsonNode peers = result.path("peers");
        assertThat(peers.size()).as("pages reported").isEqualTo(2);
        JsonNode alice = peers.get(0);
        JsonNode bob = peers.get(1);
        assertThat(alice.path("peerId").asText()).isNotBlank().isNotEqualTo(bob.path("peerId").asText());
        for (JsonNode[] pair : new JsonNode[][] {{alice, bob}, {bob, alice}}) {
            JsonNode self = pair[0];
            JsonNode other = pair[1];
            String name = self.path("name").asText();
            assertThat(self.path("room").asText()).as("%s's room", name).isEqualTo(room);
            assertThat(self.path("connectionStates").properties())
                    .as("%s's peer connections", name)
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.getKey()).isEqualTo(other.path("peerId").asText());
                        assertThat(e.getValue().asText()).isEqualTo("connected");
                    });
            assertThat(self.path("received"))
                    .as("chat messages %s received over the data channel", name)
                    .extracting(JsonNode::asText)
                    .containsExactly(other.path("sent").asText());
            assertThat(self.path("framesDecoded").asLong())
                    .as("remote video frames %s decoded", name)
                    .isPositive();
        }
        // Bob pressed Leave after the call: he is out, and Alice got peer-left and dropped his tile.
        assertThat(result.path("leave").path("leaverOut").asBoolean()).as("bob left the room").isTrue();
        assertThat(result.path("leave").path("otherSawPeerLeft").asBoolean()).as("alice saw bob leave").isTrue();
    }

    private static JsonNode resultLine(String stdout) throws IOException {
        for (String line : stdout.split("\n")) {
            if (line.startsWith("RESULT ")) {
                return new ObjectMapper().readTree(line.substring("RESULT ".length()));
            }
        }
        return null;
    }

    private static String output(Path stdout, Path stderr) {
        return "--- stdout (" + stdout + ")\n" + readQuietly(stdout) + "\n--- stderr (" + stderr + ")\n" + readQuietly(stderr);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Everything the scenario needs beyond the JDK; a missing piece skips the test with what to
     * install (fails it under {@code CI=true}), so {@code ./mvnw verify} passes on a JDK-only machine.
     */
    private void requirePrerequisites() throws Exception {
        chromium = System.getProperty("signaling.chromium") != null
                ? RequiredPrograms.require(System.getProperty("signaling.chromium"), "point -Dsignaling.chromium at a Chromium binary")
                : RequiredPrograms.require("chromium", "apt-get install chromium");
        RequiredPrograms.require("node", "apt-get install nodejs npm (Node.js 18 or newer)");
        RequiredPrograms.require("unshare", "apt-get install util-linux");
        RequiredPrograms.require("ip", "apt-get install iproute2");
        if (!Files.isDirectory(scriptDir.resolve("node_modules/playwright-core"))) {
            RequiredPrograms.unavailable("playwright-core is missing from " + scriptDir.resolve("node_modules"),
                    "install npm (the build then runs npm ci there), or run npm ci in signaling-app/src/test/browser");
        }
        String node = run("node", "--version");
        if (node != null) {
            RequiredPrograms.unavailable("node does not run (" + node + ")", "install Node.js 18 or newer (apt-get install nodejs)");
        }
        String netns = run("unshare", "--net", "--", "ip", "link", "set", "lo", "up");
        if (netns != null) {
            // Chromium must not send ICE checks beyond loopback, so the test does not run without it.
            RequiredPrograms.unavailable("cannot create a network namespace with `unshare --net` (" + netns + ")",
                    "run the tests as root (CI does)");
        }
    }

    /** Runs a short command: null when it succeeded, else why not (its output or the start error). */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return String.join(" ", command) + " did not finish within 10 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
