package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and layering: defaults < profile < file < env < flag. */
class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    private String file(String yaml) throws IOException {
        Path f = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(f, yaml);
        return f.toString();
    }

    @Test
    void defaultsLoadWithEveryDocumentedValue() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of()));

        assertThat(c.service()).isEqualTo(new ServiceConfig("signaling", "", "local"));
        assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 8080, 0, 0, 1024 * 1024));
        assertThat(c.admin()).isEqualTo(new AdminConfig(true, "127.0.0.1", 9090));
        assertThat(c.shutdown()).isEqualTo(new ShutdownConfig(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(5)));
        assertThat(c.health()).isEqualTo(new HealthConfig(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThat(c.logging()).isEqualTo(new LoggingConfig(LogFormat.JSON, LogLevel.INFO, Map.of(), 8192, true,
                List.of("/health/live", "/health/ready", "/metrics")));
        assertThat(c.metrics().enabled()).isTrue();
        assertThat(c.tracing()).isEqualTo(new TracingConfig(TracingExporter.NONE, 1.0, false));
        assertThat(c.websocket()).isEqualTo(new io.signaling.ports.websocket.WebSocketSettings("/ws", 64 * 1024, Duration.ofSeconds(60),
                Duration.ofSeconds(20), Duration.ofSeconds(10), 256, 1024 * 1024, 10_000, List.of()));
        assertThat(c.rooms().maxPeers()).isEqualTo(16);
        assertThat(c.rateLimit()).isEqualTo(new RateLimitConfig(50.0, 100));
        assertThat(c.redis()).isEqualTo(new RedisConfig(false, "redis://127.0.0.1:6379", Secret.empty(), "signaling",
                Duration.ofSeconds(10), Duration.ofSeconds(2), 100_000, 10_000, 16L * 1024 * 1024));
        assertThat(ConfigLoader.defaults()).isEqualTo(c);
    }

    @Test
    void websocketSectionMatchesThePortDefaults() {
        assertThat(ConfigLoader.defaults().websocket())
                .isEqualTo(io.signaling.ports.websocket.WebSocketSettings.defaults());
    }

    @Test
    void aFileSettingOneKeyOfASectionKeepsTheOtherDefaults() throws IOException {
        String path = file("server:\n  port: 9000\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of()).withConfigFile(path));

        assertThat(c.server().port()).isEqualTo(9000);
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().maxRequestBody()).isEqualTo(1024 * 1024);
    }

    @Test
    void aFileMayUseDottedKeys() throws IOException {
        String path = file("server.port: 9001\nwebsocket:\n  idle-timeout: 2m\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of()).withConfigFile(path));

        assertThat(c.server().port()).isEqualTo(9001);
        assertThat(c.websocket().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theConfigFileMayComeFromSignalingConfig() throws IOException {
        String path = file("admin:\n  port: 9191\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("SIGNALING_CONFIG", path)));

        assertThat(c.admin().port()).isEqualTo(9191);
    }

    @Test
    void theConfigFlagWinsOverSignalingConfig() throws IOException {
        String fromEnv = file("admin:\n  port: 9191\n");
        String fromFlag = file("admin:\n  port: 9292\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("SIGNALING_CONFIG", fromEnv)).withConfigFile(fromFlag));

        assertThat(c.admin().port()).isEqualTo(9292);
    }

    @Test
    void envOverridesTheFile() throws IOException {
        String path = file("server:\n  port: 9000\n  host: 127.0.0.1\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("SIGNALING_SERVER_PORT", "9100")).withConfigFile(path));

        assertThat(c.server().port()).isEqualTo(9100);
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void aFlagOverridesEnv() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("SIGNALING_SERVER_PORT", "9100"))
                .withFlag("server.port", "9200"));

        assertThat(c.server().port()).isEqualTo(9200);
    }

    @Test
    void layersApplyInOrderDefaultsProfileFileEnvFlag() throws IOException {
        // Five keys; each layer sets one more of them, so each key shows which layer won.
        String path = file("""
                logging:
                  queue-size: 3
                health:
                  check-timeout: 3s
                websocket:
                  max-connections: 3
                """);
        Map<String, String> env = Map.of(
                "SIGNALING_HEALTH_CHECKTIMEOUT", "4s",
                "SIGNALING_WEBSOCKET_MAXCONNECTIONS", "4");

        SignalingConfig c = loader.load(ConfigRequest.of(env).withProfile("dev").withConfigFile(path)
                .withFlag("websocket.max-connections", "5"));

        assertThat(c.rooms().maxPeers()).as("defaults only").isEqualTo(16);
        assertThat(c.logging().format()).as("profile over defaults").isEqualTo(LogFormat.TEXT);
        assertThat(c.logging().queueSize()).as("file over profile").isEqualTo(3);
        assertThat(c.health().checkTimeout()).as("env over file").isEqualTo(Duration.ofSeconds(4));
        assertThat(c.websocket().maxConnections()).as("flag over env").isEqualTo(5);
    }

    @Test
    void aFileOverridesTheProfile() throws IOException {
        String path = file("logging:\n  format: json\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of()).withProfile("dev").withConfigFile(path));

        assertThat(c.logging().format()).isEqualTo(LogFormat.JSON);
        assertThat(c.logging().level()).as("the profile still applies where the file is silent")
                .isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void devProfileIsTextDebugWithQuietLibrariesAndOtlp() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("SIGNALING_PROFILE", "dev")));

        assertThat(c.logging().format()).isEqualTo(LogFormat.TEXT);
        assertThat(c.logging().level()).isEqualTo(LogLevel.DEBUG);
        assertThat(c.logging().levels()).containsEntry("io.undertow", LogLevel.INFO).containsEntry("org.xnio", LogLevel.INFO);
        assertThat(c.tracing().exporter()).isEqualTo(TracingExporter.OTLP);
        assertThat(c.websocket().allowedOrigins()).isEmpty();
        assertThat(c.shutdown().readinessDelay()).isZero();
    }

    @Test
    void prodProfileWithOriginsIsJsonInfoWithAReadinessDelay() {
        SignalingConfig c = loader.load(ConfigRequest.of(
                Map.of("SIGNALING_WEBSOCKET_ALLOWEDORIGINS", "https://app.example.com", "SIGNALING_AUTH_MODE", "jwt",
                        "SIGNALING_AUTH_JWT_KEYS", "[{kid: k1, alg: HS256, secret: 0123456789abcdef0123456789abcdef}]"))
                .withProfile("prod"));

        assertThat(c.logging().format()).isEqualTo(LogFormat.JSON);
        assertThat(c.logging().level()).isEqualTo(LogLevel.INFO);
        assertThat(c.shutdown().readinessDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.websocket().allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(c.auth().mode()).isEqualTo(AuthMode.JWT);
        assertThat(c.auth().keys()).singleElement().satisfies(k -> {
            assertThat(k.kid()).isEqualTo("k1");
            assertThat(k.secret().reveal()).isEqualTo("0123456789abcdef0123456789abcdef");
        });
    }

    @Test
    void relaxedEnvNamesDropDashesAndIgnoreCase() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of(
                "SIGNALING_RATELIMIT_MESSAGESPERSECOND", "2.5",
                "SIGNALING_RATELIMIT_BURST", "7",
                "SIGNALING_SHUTDOWN_DRAINTIMEOUT", "45s",
                "signaling_websocket_maxmessagesize", "128KiB",
                "SIGNALING_ADMIN_ENABLED", "FALSE")));

        assertThat(c.rateLimit()).isEqualTo(new RateLimitConfig(2.5, 7));
        assertThat(c.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.websocket().maxMessageBytes()).isEqualTo(128 * 1024);
        assertThat(c.admin().enabled()).isFalse();
    }

    @Test
    void envListsAreCommaSeparated() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of(
                "SIGNALING_WEBSOCKET_ALLOWEDORIGINS", "https://a.example, https://b.example:8443,",
                "SIGNALING_LOGGING_ACCESSLOGEXCLUDE", "/metrics")));

        assertThat(c.websocket().allowedOrigins()).containsExactly("https://a.example", "https://b.example:8443");
        assertThat(c.logging().accessLogExclude()).containsExactly("/metrics");
    }

    @Test
    void fileListsMayBeSequencesOrCommaSeparatedStringsAndReplaceTheDefaultList() throws IOException {
        String seq = file("websocket:\n  allowed-origins:\n    - https://a.example\n    - https://b.example\n"
                + "logging:\n  access-log-exclude: /x, /y\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of()).withConfigFile(seq));

        assertThat(c.websocket().allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.logging().accessLogExclude()).containsExactly("/x", "/y");
    }

    @Test
    void loggerLevelsMergePerLoggerAcrossLayers() throws IOException {
        String path = file("logging:\n  levels:\n    io.signaling: TRACE\n    io.undertow: WARN\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("SIGNALING_LOGGING_LEVELS_ORG_XNIO", "error"))
                .withProfile("dev").withConfigFile(path).withFlag("logging.levels.io.signaling.rooms", "debug"));

        assertThat(c.logging().levels())
                .containsEntry("io.signaling", LogLevel.TRACE)
                .containsEntry("io.undertow", LogLevel.WARN)
                .containsEntry("org.xnio", LogLevel.ERROR)
                .containsEntry("io.signaling.rooms", LogLevel.DEBUG)
                .containsEntry("org.jboss", LogLevel.INFO);
    }

    @Test
    void unrelatedEnvironmentVariablesAreIgnored() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("PATH", "/usr/bin", "HOME", "/root",
                "SIGNALING_PROFILE", "", "SIGNALING_CONFIG", "")));

        assertThat(c).isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void quotedYamlNumbersAndIsoDurationsAreAccepted() throws IOException {
        String path = file("server:\n  port: \"9000\"\nshutdown:\n  drain-timeout: PT1M\nredis:\n  password: hunter2\n");

        SignalingConfig c = loader.load(ConfigRequest.of(Map.of()).withConfigFile(path));

        assertThat(c.server().port()).isEqualTo(9000);
        assertThat(c.shutdown().drainTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.redis().password().reveal()).isEqualTo("hunter2");
        assertThat(c.redis().toString()).doesNotContain("hunter2").contains(Secret.MASK);
    }

    @Test
    void aBracketedIpv6HostIsStoredAsTheBareLiteral() {
        assertThat(loader.load(ConfigRequest.of(Map.of("SIGNALING_ADMIN_HOST", "[::1]"))).admin().host())
                .isEqualTo("::1");
    }

    @Test
    void portZeroIsAllowedForBothListeners() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of())
                .withFlag("server.port", "0").withFlag("admin.port", "0"));

        assertThat(c.server().port()).isZero();
        assertThat(c.admin().port()).isZero();
    }

    @Test
    void commandOverridesWinOverEveryLayerAndNameTheCommandAsTheirSource() {
        SignalingConfig c = loader.load(ConfigRequest.of(Map.of("SIGNALING_SERVER_PORT", "9100"))
                .withFlag("server.port", "9200")
                .withOverrides("warmup", Map.of("server.port", "0")));

        assertThat(c.server().port()).isZero();

        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> loader.load(ConfigRequest.of(Map.of()).withOverrides("warmup", Map.of("server.port", "x"))));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("server.port");
            assertThat(p.source()).hasToString("command warmup");
        });
    }

    @Test
    void valuesUnderAnOverrideAreStillValidatedAsAStartValidatesThem() {
        // A plain start would refuse this port; so must a command that replaces it, or a
        // configuration that only works under the command would look valid.
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> loader.load(ConfigRequest.of(Map.of("SIGNALING_SERVER_PORT", "70000"))
                        .withOverrides("warmup", Map.of("server.port", "0"))));

        assertThat(e.problems()).extracting(ConfigProblem::toString)
                .containsExactly("server.port = 70000 (env SIGNALING_SERVER_PORT): must be between 0 and 65535 (0 picks a free port)");
    }

    @Test
    void aKeyAProfileRequiresCountsAsGivenWhenACommandOverridesIt() {
        ConfigRequest prod = ConfigRequest.of(Map.of()).withProfile("prod");
        ConfigException withoutOverride = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> loader.load(prod));
        assertThat(withoutOverride.problems()).extracting(ConfigProblem::key)
                .containsExactly("websocket.allowed-origins", "auth.mode");

        SignalingConfig c = loader.load(prod.withOverrides("warmup",
                Map.of("websocket.allowed-origins", "http://warmup.invalid", "auth.mode", "none")));

        assertThat(c.websocket().allowedOrigins()).containsExactly("http://warmup.invalid");
        assertThat(c.shutdown().readinessDelay()).as("the rest of the profile applies").isEqualTo(Duration.ofSeconds(5));
    }
}
