package io.signaling.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.signaling.app.SignalingNode;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The browser client module ({@code /signaling-client.js}) in real headless Chromium against a real
 * node: a page on the node's origin imports it as an app would and drives several clients, each
 * through its own loopback TCP proxy that {@code client-module.mjs} can cut, hold or black-hole.
 * Each case is one scenario of that script (see its header); the assertions on its facts are here
 * and there. Prerequisites and the network namespace as in {@link DemoPageBrowserTest}.
 */
@Tag("browser")
class SignalingClientBrowserTest {

    private static final long PROCESS_TIMEOUT_S = 120;

    private final Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private final Path scriptDir = moduleDir.resolve("src/test/browser");
    private SignalingNode node;
    private UnixSocketRelay relay;
    private Path socketDir;
    private Path chromium;

    @BeforeEach
    void startNode() throws Exception {
        chromium = BrowserHarness.requirePrerequisites(scriptDir);
        SignalingNode started = SignalingNode.builder(new ConfigLoader().load(ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("admin.port", "0")
                .withFlag("shutdown.readiness-delay", "0s")
                .withFlag("shutdown.drain-timeout", "2s")
                // TURN credentials in every welcome, refreshed within seconds (no TURN server needed:
                // nothing here gathers ICE).
                .withFlag("turn.urls", "turn:127.0.0.1:3478?transport=udp")
                .withFlag("turn.secrets", "client-module-test-secret")
                .withFlag("turn.ttl", "4s"))).build();
        started.start();
        node = started;
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "signaling-client-");
        relay = UnixSocketRelay.start(socketDir.resolve("node.sock"), node.publicAddress());
    }

    @AfterEach
    void stopAll() throws Exception {
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

    /** Connect, join, relay every type both ways in order, roles, errors, ping, a v1-only client, leave. */
    @Test
    void connectsJoinsRelaysAndReportsErrors() throws Exception {
        JsonNode basics = runCase("basics");

        assertThat(basics.path("v11").toString()).isEqualTo("[true,true]");
        assertThat(basics.path("aPolite").asBoolean()).as("the peer already there is polite").isTrue();
        assertThat(basics.path("bPolite").asBoolean()).as("the newcomer is impolite").isFalse();
        assertThat(basics.path("relayed").asInt()).isEqualTo(4);
        assertThat(basics.path("v1Client").asBoolean()).as("a client that asked for v1 only").isTrue();
    }

    /** welcome.iceServers with TURN credentials, then the v1.1 refresh before they expire. */
    @Test
    void exposesIceServersAndTheirRefresh() throws Exception {
        assertThat(runCase("ice-servers").path("refreshed").asBoolean()).isTrue();
    }

    /** The socket is cut and stays away a while; both sides send meanwhile; nothing is lost or doubled. */
    @Test
    void resumesAfterACutWithNothingLostAndNobodyNoticing() throws Exception {
        JsonNode resume = runCase("resume");

        assertThat(resume.path("cutConnections").asInt()).as("connections the proxy cut").isPositive();
        assertThat(resume.path("stats").path("resumes").asInt()).isEqualTo(1);
        assertThat(resume.path("stats").path("resets").asInt()).isZero();
    }

    /** Frames lost inside a dying connection come back through lastSeq and lastClientSeq. */
    @Test
    void framesLostInTheDyingSocketArriveOnceAfterTheResume() throws Exception {
        JsonNode dying = runCase("dying-socket");

        assertThat(dying.path("blackholed").asInt()).as("connections black-holed").isEqualTo(1);
        assertThat(dying.path("stats").path("resent").asInt()).isGreaterThanOrEqualTo(3);
    }

    /** A silent (half-open) connection is noticed by the heartbeat and replaced by a resume. */
    @Test
    void aHalfOpenConnectionIsAbandonedAndTheSessionResumed() throws Exception {
        JsonNode halfOpen = runCase("half-open");

        assertThat(halfOpen.path("proxyConnections").asInt()).as("connections after the silent one").isEqualTo(1);
    }

    /** A resume the server cannot honour: a new session, the room joined again. */
    @Test
    void aResumeTheServerCannotHonourStartsANewSessionInTheSameRoom() throws Exception {
        JsonNode reset = runCase("reset");

        assertThat(reset.path("newPeerId").asBoolean()).isTrue();
    }

    private JsonNode runCase(String name) throws Exception {
        byte[] nonce = new byte[6];
        new SecureRandom().nextBytes(nonce);
        String room = "client-" + HexFormat.of().formatHex(nonce);
        JsonNode result = BrowserHarness.runScenario(scriptDir, moduleDir.resolve("target/browser-test").resolve(room),
                "client-module.mjs", PROCESS_TIMEOUT_S, List.of(
                        "--port=" + node.publicAddress().getPort(),
                        "--socket=" + relay.socketPath(),
                        "--room=" + room,
                        "--chromium=" + chromium,
                        "--cases=" + name,
                        "--timeout-ms=60000"));
        JsonNode scenario = result.path("cases").path(name);
        assertThat(scenario.path("ok").asBoolean()).as("case %s: %s", name, scenario).isTrue();
        return scenario;
    }
}
