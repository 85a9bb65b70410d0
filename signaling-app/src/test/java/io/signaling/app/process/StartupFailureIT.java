package io.signaling.app.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 2: a bad configuration exits 2 naming every problem; a startup failure exits 1 with one line. */
class StartupFailureIT {

    @RegisterExtension
    final StartedProcesses processes = new StartedProcesses();

    @Test
    void invalidValuesFromEnvironmentAndFlagsExitTwoListingEveryProblemAndStartNothing() {
        AppProcess app = processes.track(AppProcess.jar("--websocket.idle-timeout=abc", "--admin.port=0")
                .env("SIGNALING_SERVER_PORT", "70000")
                .start());

        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isEqualTo(2);
        assertThat(app.stderr())
                .contains("nothing was started")
                .contains("server.port = 70000 (env SIGNALING_SERVER_PORT)")
                .contains("websocket.idle-timeout = abc (flag --websocket.idle-timeout)");
        assertThat(app.stderr()).doesNotContain("\tat ", "Exception");
        // No logging set up, no listener bound: the only output is the report on stderr.
        assertThat(app.stdout()).isEmpty();
    }

    @Test
    void unknownKeysExitTwoWithDidYouMean() {
        AppProcess app = processes.track(AppProcess.jar("--server.prot=9000")
                .env("SIGNALING_WEBSOCKET_IDLETIMOUT", "30s")
                .start());

        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isEqualTo(2);
        assertThat(app.stderr())
                .contains("server.prot = 9000 (flag --server.prot): unknown key; did you mean `server.port`?")
                .contains("SIGNALING_WEBSOCKET_IDLETIMOUT = 30s (env SIGNALING_WEBSOCKET_IDLETIMOUT): unknown variable; "
                        + "did you mean `SIGNALING_WEBSOCKET_IDLETIMEOUT` (websocket.idle-timeout)?");
        assertThat(app.stdout()).isEmpty();
    }

    @Test
    void checkPrintsTheEffectiveConfigurationWithSecretsMaskedAndExitsZero() {
        AppProcess app = processes.track(AppProcess.jar("check", "--server.port=9123")
                .env("SIGNALING_REDIS_PASSWORD", "hunter2")
                .env("SIGNALING_ADMIN_PORT", "9124")
                .start());

        assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isZero();
        assertThat(app.stdout())
                .contains("configuration is valid")
                .contains("  port: 9123", "  port: 9124")
                .containsPattern("(?m)^  password: '?\\*+'?$")
                .doesNotContain("hunter2");
        assertThat(app.stderr()).doesNotContain("hunter2");
        assertThat(app.logLine("started")).isEmpty();
    }

    @Test
    void portInUseExitsOneWithAOneLineReasonNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            AppProcess app = processes.track(AppProcess.jar("--server.host=127.0.0.1", "--server.port=" + port, "--admin.port=0").start());

            assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isEqualTo(1);
            List<String> errors = app.stderrLines();
            assertThat(errors).as(app.describe()).hasSize(1);
            assertThat(errors.get(0))
                    .startsWith("signaling: failed to start: ")
                    .contains("127.0.0.1:" + port)
                    .contains("Address already in use");
            assertThat(app.logLine("started")).isEmpty();
            assertThat(app.logLine("failed to start")).isPresent();
        }
    }
}
