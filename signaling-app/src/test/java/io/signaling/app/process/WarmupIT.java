package io.signaling.app.process;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The {@code warmup} command as a process: it ends by itself with 0 and leaves nothing listening
 * even where the configured ports are taken, and an invalid configuration still exits 2 with
 * every problem and starts nothing, as a plain start does.
 */
class WarmupIT {

    @RegisterExtension
    final StartedProcesses processes = new StartedProcesses();

    @Test
    void warmupEndsByItselfWithZeroAndLeavesNoListenerNorThreadBehind() throws Exception {
        assumeThat(Path.of("/proc/self/net/tcp")).as("the listener probe reads Linux /proc").exists();
        // The configured ports are in use, as when a server already runs on this host: warmup
        // must not try them.
        try (ServerSocket publicPort = bound(); ServerSocket adminPort = bound()) {
            AppProcess app = processes.track(AppProcess.main(WarmupProbeMain.class, "warmup", "--profile", "prod",
                            "--server.port=" + publicPort.getLocalPort())
                    .env("SIGNALING_ADMIN_PORT", Integer.toString(adminPort.getLocalPort()))
                    .env("SIGNALING_ADMIN_HOST", "0.0.0.0")
                    .env("SIGNALING_ADMIN_ALLOWPUBLIC", "true")
                    .start());

            assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isZero();

            JsonNode started = app.logLine("started").orElseThrow(() -> new AssertionError(app.describe()));
            URI publicUri = URI.create(started.path("public").asText());
            URI adminUri = URI.create(started.path("admin").asText());
            assertThat(List.of(publicUri.getHost(), adminUri.getHost())).containsOnly("127.0.0.1");
            assertThat(List.of(publicUri.getPort(), adminUri.getPort()))
                    .doesNotContain(publicPort.getLocalPort(), adminPort.getLocalPort());
            assertThat(app.logLine("warmup done")).as(app.describe()).isPresent();
            assertThat(app.logLine("stopped").orElseThrow().path("clean").asBoolean(false)).isTrue();

            JsonNode leftovers = app.logLine(WarmupProbeMain.MESSAGE).orElseThrow(() -> new AssertionError(app.describe()));
            assertThat(leftovers.path("listening_while_running")).as("the probe sees both listeners while they run")
                    .hasSize(2);
            assertThat(leftovers.path("listening_after")).as("listening sockets once warmup returned").isEmpty();
            assertThat(leftovers.path("threads_after")).as("non-daemon threads left").isEmpty();
        }
    }

    @Test
    void warmupWithAnInvalidConfigurationExitsTwoListingEveryProblemAndStartsNothing() throws Exception {
        Path config = Files.createTempFile("warmup-", ".yaml");
        try {
            Files.writeString(config, "server:\n  prot: 9000\n");
            AppProcess app = processes.track(AppProcess.jar("warmup", "--config", config.toString(), "--websocket.idle-timeout=abc")
                    .env("SIGNALING_SERVER_PORT", "70000")
                    .env("SIGNALING_PROFILE", "prod")
                    .start());

            assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isEqualTo(2);
            assertThat(app.stderr())
                    .contains("nothing was started")
                    .contains("server.prot = 9000 (file " + config + "): unknown key; did you mean `server.port`?")
                    .contains("server.port = 70000 (env SIGNALING_SERVER_PORT)")
                    .contains("websocket.idle-timeout = abc (flag --websocket.idle-timeout)")
                    .as("warmup brings its own origin, so prod does not ask for one")
                    .doesNotContain("websocket.allowed-origins");
            assertThat(app.stdout()).isEmpty();
        } finally {
            Files.deleteIfExists(config);
        }
    }

    @Test
    void warmupTogetherWithCheckIsAUsageError() {
        AppProcess app = processes.track(AppProcess.jar("warmup", "check").start());

        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isEqualTo(2);
        assertThat(app.stderr()).contains("flag check: one command at a time: 'check', 'warmup' and 'token' cannot be combined");
        assertThat(app.stdout()).isEmpty();
    }

    private static ServerSocket bound() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }
}
