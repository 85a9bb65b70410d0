package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaTest {

    @Test
    void everyKeyHasAUniqueEnvNameThatMapsBack() {
        long leaves = Schema.KEYS.stream().filter(Schema::isLeaf).count();

        assertThat(Schema.envNames()).hasSize((int) leaves);
        for (String key : Schema.KEYS) {
            if (Schema.isLeaf(key)) {
                String env = Schema.envName(key);
                assertThat(Schema.keyForEnv(env.substring(Schema.ENV_PREFIX.length()))).as(env).contains(key);
            }
        }
    }

    @Test
    void envNamesFollowTheSpringBootRule() {
        assertThat(Schema.envName("shutdown.drain-timeout")).isEqualTo("SIGNALING_SHUTDOWN_DRAINTIMEOUT");
        assertThat(Schema.envName("rate-limit.messages-per-second")).isEqualTo("SIGNALING_RATELIMIT_MESSAGESPERSECOND");
        assertThat(Schema.envName("websocket.allowed-origins")).isEqualTo("SIGNALING_WEBSOCKET_ALLOWEDORIGINS");
    }

    @Test
    void everyKeyIsSetInDefaultYamlAndNothingElseIs() {
        // The binder reports a key no source sets, and the layer reader an unknown one: defaults
        // loading cleanly proves default.yaml and the schema agree.
        assertThat(new ConfigLoader().load(ConfigRequest.of(Map.of()))).isNotNull();
        assertThat(Schema.SECTIONS).containsExactly("service", "server", "admin", "shutdown", "health", "logging",
                "metrics", "tracing", "websocket", "rooms", "rate-limit", "session", "redis", "auth", "turn", "auth.jwt");
    }

    @Test
    void aSourceWithoutAKeyIsReportedAsMissingRatherThanSilentlyDefaulted() {
        ClassLoader empty = new ClassLoader(null) {
            @Override
            public java.io.InputStream getResourceAsStream(String name) {
                return name.equals("default.yaml")
                        ? new java.io.ByteArrayInputStream("server:\n  port: 1\n".getBytes()) : null;
            }
        };

        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(empty).load(ConfigRequest.of(Map.of())));

        assertThat(e.problems()).extracting(ConfigProblem::key).contains("server.host", "redis.password")
                .doesNotContain("server.port");
        assertThat(e.getMessage()).contains("server.host = (none) (default.yaml): missing: no source sets it, and default.yaml must");
    }
}
