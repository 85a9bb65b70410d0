package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffectiveConfigTest {

    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    @Test
    void rendersDefaultsInTheUnitsOfDefaultYaml() {
        String yaml = EffectiveConfig.render(ConfigLoader.defaults());

        assertThat(yaml).contains("drain-timeout: 30s", "max-message-size: 64KiB", "max-request-body: 1MiB",
                "format: json", "exporter: none", "port: 8080", "- /health/live");
    }

    @Test
    void anUnsetInstanceIdShowsTheHostNameTheNodeWillUse() {
        SignalingConfig defaults = ConfigLoader.defaults();
        String hostName = defaults.service().instanceIdOrHostname();
        assertThat(hostName).isNotBlank();

        assertThat(EffectiveConfig.render(defaults)).contains("instance-id: " + hostName).doesNotContain("instance-id: \"\"");
        assertThat(EffectiveConfig.render(loader.load(ConfigRequest.of(Map.of()).withFlag("service.instance-id", "node-7"))))
                .contains("instance-id: node-7");
    }

    @Test
    void masksTheSecretAndRedisUriCredentials() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("SIGNALING_REDIS_PASSWORD", "hunter2"))
                .withFlag("redis.uri", "redis://user@cache:6379"));

        String yaml = EffectiveConfig.render(c);

        assertThat(yaml).doesNotContain("hunter2").doesNotContain("user@").contains("password: '" + Secret.MASK + "'")
                .contains("uri: redis://" + Secret.MASK + "@cache:6379");
    }

    @Test
    void anUnsetSecretRendersEmptySoOperatorsSeeItIsMissing() {
        assertThat(EffectiveConfig.render(ConfigLoader.defaults())).contains("password: \"\"");
    }

    @Test
    void theOutputLoadsBackAsAConfigFileToTheSameConfig() throws IOException {
        // Round trip through every key: proves rendering covers each setting in a loadable form.
        SignalingConfig original = loader.load(ConfigRequest.of(Map.of(
                        "SIGNALING_WEBSOCKET_ALLOWEDORIGINS", "https://a.example,https://b.example:8443",
                        "SIGNALING_SERVICE_INSTANCEID", "0123"))
                .withProfile("dev")
                .withFlag("rate-limit.messages-per-second", "0.5")
                .withFlag("shutdown.drain-timeout", "1500ms")
                .withFlag("server.max-request-body", "1000"));
        Path rendered = dir.resolve("effective.yaml");
        Files.writeString(rendered, EffectiveConfig.render(original));

        SignalingConfig reloaded = loader.load(ConfigRequest.of(Map.of()).withConfigFile(rendered.toString()));

        assertThat(reloaded).isEqualTo(original);
    }
}
