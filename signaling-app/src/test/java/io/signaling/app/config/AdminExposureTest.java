package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.app.SignalingNode;
import io.signaling.ports.log.Logger.Level;
import io.signaling.ports.testing.RecordingLogger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fault 7 of docs/reliability.md: the admin listener (unauthenticated /metrics and /debug) binds a
 * non-loopback address only when {@code admin.allow-public} says so, and then with a warning.
 * Nothing here binds a socket: the node is built, never started.
 */
class AdminExposureTest {

    private static ConfigRequest withAdminHost(String host) {
        return ConfigRequest.of(Map.of()).withFlag("admin.host", host).withFlag("admin.port", "0")
                .withFlag("server.host", "127.0.0.1").withFlag("server.port", "0");
    }

    @Test
    void aNonLoopbackAdminHostIsAConfigurationErrorUnlessAllowed() {
        for (String host : new String[] {"0.0.0.0", "::", "192.0.2.10", "admin.example.com"}) {
            assertThatThrownBy(() -> new ConfigLoader().load(withAdminHost(host)))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                            .anySatisfy(p -> {
                                assertThat(p.key()).isEqualTo("admin.host");
                                assertThat(p.reason()).contains("admin.allow-public=true");
                            }));
        }
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"}) {
            assertThat(new ConfigLoader().load(withAdminHost(host)).admin().loopbackOnly()).as(host).isTrue();
        }
        SignalingConfig allowed = new ConfigLoader().load(withAdminHost("0.0.0.0").withFlag("admin.allow-public", "true"));
        assertThat(allowed.admin().allowPublic()).isTrue();
        // A disabled admin listener binds nothing, so its host does not matter.
        new ConfigLoader().load(withAdminHost("0.0.0.0").withFlag("admin.enabled", "false"));
    }

    @Test
    void theNodeRefusesAPublicAdminAddressGivenInCodeAndWarnsWhenItIsAllowed() {
        SignalingConfig defaults = ConfigLoader.defaults();
        SignalingConfig refused = withAdmin(defaults, new AdminConfig(true, "0.0.0.0", 0));
        assertThatThrownBy(() -> SignalingNode.builder(refused).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin.allow-public=true");

        RecordingLogger log = new RecordingLogger();
        SignalingNode node = SignalingNode.builder(withAdmin(defaults, new AdminConfig(true, "0.0.0.0", 0, true)))
                .loggers(log).build();
        assertThat(log.events(Level.WARN)).anySatisfy(event -> {
            assertThat(event.message()).startsWith("admin listener binds a non-loopback address");
            assertThat(event.get("admin_host")).isEqualTo("0.0.0.0");
        });
        assertThat(node).isNotNull();

        RecordingLogger quiet = new RecordingLogger();
        SignalingNode.builder(defaults).loggers(quiet).build();
        assertThat(quiet.events(Level.WARN)).noneSatisfy(event ->
                assertThat(event.message()).startsWith("admin listener binds a non-loopback address"));
    }

    private static SignalingConfig withAdmin(SignalingConfig c, AdminConfig admin) {
        return new SignalingConfig(c.service(), c.server(), admin, c.shutdown(), c.health(), c.logging(), c.metrics(),
                c.tracing(), c.websocket(), c.rooms(), c.rateLimit(), c.session(), c.redis(), c.auth(), c.turn());
    }
}
