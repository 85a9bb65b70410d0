package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of problem, each reported with key, value, source and reason. */
class ConfigValidationTest {

    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    private String file(String yaml) throws IOException {
        Path f = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(f, yaml);
        return f.toString();
    }

    private ConfigException failure(ConfigRequest request) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(request));
        assertThat(e).as("loading should have failed").isNotNull();
        return e;
    }

    private List<String> lines(ConfigRequest request) {
        return failure(request).getMessage().lines().toList();
    }

    @Test
    void aPortOutOfRangeFromEnvIsReportedInTheDocumentedFormat() {
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_SERVER_PORT", "70000"))))
                .containsExactly("server.port = 70000 (env SIGNALING_SERVER_PORT): "
                        + "must be between 0 and 65535 (0 picks a free port)");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "server.port | -1 | must be between 0 and 65535",
            "admin.port | 65536 | must be between 0 and 65535",
            "server.port | eighty | expected a whole number, not a string",
            "server.port | 80.5 | expected a whole number",
            "server.io-threads | -2 | must be 0 (Undertow's default) or a positive number of threads",
            "server.host | bad_host | not a valid host name",
            "admin.host | 300.1.1.1 | not a valid IPv4 address",
            "server.max-request-body | 0 | must be positive",
            "server.max-request-body | 1MB | unknown size unit 'MB'",
            "websocket.max-message-size | 4GiB | must be at most 2147483647 bytes",
            "websocket.send-queue-bytes | -1KiB | must be positive",
            "shutdown.drain-timeout | 0s | must be positive",
            "shutdown.drain-timeout | 30 | a duration needs a unit, e.g. 30s",
            "shutdown.readiness-delay | -1s | must not be negative",
            "shutdown.retry-after | 500ms | must be at least 1s",
            "health.check-timeout | 2 sec | unknown duration unit 'sec'",
            "health.cache-ttl | 0ms | must be positive",
            "websocket.idle-timeout | soon | not a duration",
            "websocket.ping-interval | 90s | must be shorter than websocket.idle-timeout (1m)",
            "tracing.sampling-ratio | 1.5 | must be between 0.0 and 1.0",
            "tracing.sampling-ratio | half | expected a number, not a string",
            "tracing.exporter | zipkin | must be one of none, otlp, logging",
            "logging.format | xml | must be one of json, text",
            "logging.level | VERBOSE | must be one of trace, debug, info, warn, error, off",
            "logging.levels.io.undertow | LOUD | must be one of trace, debug, info, warn, error, off",
            "logging.queue-size | 0 | must be positive",
            "logging.access-log | yes | expected true or false",
            "logging.access-log-exclude | metrics | every path must start with '/'",
            "metrics.enabled | 1 | expected true or false",
            "websocket.path | ws | must be an absolute path",
            "websocket.allowed-origins | app.example.com | is not an origin",
            "websocket.allowed-origins | https://app.example.com/page | must be scheme://host[:port] only",
            "rooms.max-peers | 1 | must be at least 2",
            "rate-limit.messages-per-second | 0 | must be a positive number",
            "rate-limit.burst | 1.5 | expected a whole number",
            "redis.uri | http://cache:6379 | must be redis://host[:port][/db] or rediss://",
            "service.name | ' ' | must not be empty"})
    void eachRuleNamesKeyValueFlagAndReason(String key, String value, String reason) {
        List<String> lines = lines(ConfigRequest.of(Map.of()).withFlag(key, value));

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith(key + " = " + (value.isBlank() ? value : value.strip()) + " (flag --" + key + "): ")
                .contains(reason);
    }

    @Test
    void publicAndAdminPortsMustDifferUnlessZero() {
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_SERVER_PORT", "9090"))))
                .containsExactly("admin.port = 9090 (default.yaml): must differ from server.port "
                        + "(env SIGNALING_SERVER_PORT), or be 0 for a free port, or set admin.enabled=false");
        // The same port is fine when the admin listener is off.
        assertThat(loader.load(ConfigRequest.of(Map.of("SIGNALING_SERVER_PORT", "9090"))
                .withFlag("admin.enabled", "false")).server().port()).isEqualTo(9090);
    }

    @Test
    void typeMismatchesInAFileNameTheFileAndTheYamlType() throws IOException {
        String path = file("""
                server:
                  port: [1, 2]
                  host: {name: x}
                admin: true
                websocket:
                  max-connections: many
                """);

        assertThat(lines(ConfigRequest.of(Map.of()).withConfigFile(path))).containsExactlyInAnyOrder(
                "server.host = {\"name\":\"x\"} (file " + path + "): expected a single value, not a mapping",
                "admin = true (file " + path + "): expected a mapping (a section of keys), not a boolean",
                "server.port = [1,2] (file " + path + "): expected a whole number, not a list",
                "websocket.max-connections = many (file " + path + "): expected a whole number, not a string");
    }

    @Test
    void severalProblemsFromSeveralSourcesAreReportedTogether() throws IOException {
        String path = file("server:\n  port: 99999\nwebsocket:\n  idle-timeout: 0s\n");

        ConfigException e = failure(ConfigRequest.of(Map.of("SIGNALING_TRACING_SAMPLINGRATIO", "2"))
                .withConfigFile(path).withFlag("logging.format", "xml"));

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "server.port", "websocket.idle-timeout", "tracing.sampling-ratio", "logging.format");
        assertThat(e.problems()).extracting(p -> p.source().toString()).containsExactlyInAnyOrder(
                "file " + path, "file " + path, "env SIGNALING_TRACING_SAMPLINGRATIO", "flag --logging.format");
        assertThat(e.getMessage().lines()).hasSize(4);
    }

    @Test
    void aFileKeyTypoSuggestsTheKey() throws IOException {
        String path = file("server:\n  prot: 9000\nwebsockt:\n  path: /x\nport: 1\n");

        assertThat(lines(ConfigRequest.of(Map.of()).withConfigFile(path))).containsExactly(
                "server.prot = 9000 (file " + path + "): unknown key; did you mean `server.port`?",
                "websockt = {\"path\":\"/x\"} (file " + path + "): unknown key; did you mean `websocket`?",
                "port = 1 (file " + path + "): unknown key; did you mean `server.port` or `admin.port`?");
    }

    @Test
    void aCamelCaseKeySuggestsItsKebabForm() throws IOException {
        String path = file("websocket:\n  maxMessageSize: 1KiB\n");

        assertThat(lines(ConfigRequest.of(Map.of()).withConfigFile(path))).containsExactly(
                "websocket.maxMessageSize = 1KiB (file " + path + "): unknown key; did you mean `websocket.max-message-size`?");
    }

    @Test
    void anUnknownKeyWithNothingCloseIsStillRejected() {
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("database.url", "jdbc:x"))).containsExactly(
                "database.url = jdbc:x (flag --database.url): unknown key; see the configuration reference in the README");
    }

    @Test
    void anEnvTypoSuggestsTheEnvForm() {
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_SERVER_PROT", "9000")))).containsExactly(
                "SIGNALING_SERVER_PROT = 9000 (env SIGNALING_SERVER_PROT): unknown variable; "
                        + "did you mean `SIGNALING_SERVER_PORT` (server.port)?");
    }

    @Test
    void anEnvNameKeepingTheDashAsUnderscoreSuggestsTheRelaxedForm() {
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_RATE_LIMIT_BURST", "5")))).containsExactly(
                "SIGNALING_RATE_LIMIT_BURST = 5 (env SIGNALING_RATE_LIMIT_BURST): unknown variable; "
                        + "did you mean `SIGNALING_RATELIMIT_BURST` (rate-limit.burst)?");
    }

    @Test
    void aMisspeltSecretVariableIsMasked() {
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_REDIS_PASSWROD", "hunter2")))).singleElement()
                .asString().startsWith("SIGNALING_REDIS_PASSWROD = ****** (env SIGNALING_REDIS_PASSWROD)")
                .doesNotContain("hunter2");
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() throws IOException {
        String path = file("server:\n  port: 9000\n   host: x\n");

        assertThat(lines(ConfigRequest.of(Map.of()).withConfigFile(path))).singleElement().asString()
                .startsWith("file " + path + ": invalid YAML at line 3, column ");
    }

    @Test
    void duplicateYamlKeysAreAnError() throws IOException {
        String path = file("server:\n  port: 1\n  port: 2\n");

        assertThat(lines(ConfigRequest.of(Map.of()).withConfigFile(path))).singleElement().asString()
                .startsWith("file " + path + ": invalid YAML at line 3").contains("port");
    }

    @Test
    void aTopLevelThatIsNotAMappingIsAnError() throws IOException {
        String path = file("- server\n- port\n");

        assertThat(lines(ConfigRequest.of(Map.of()).withConfigFile(path))).containsExactly(
                "file " + path + ": the top level must be a mapping of sections (server:, websocket:, ...), not a list");
    }

    @Test
    void aMissingConfigFileNamesWhereItWasAskedFor() {
        String missing = dir.resolve("nope.yaml").toString();

        assertThat(lines(ConfigRequest.of(Map.of()).withConfigFile(missing))).singleElement().asString()
                .startsWith("--config = " + missing + " (flag --config): config file not found");
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_CONFIG", missing)))).singleElement().asString()
                .startsWith("SIGNALING_CONFIG = " + missing + " (env SIGNALING_CONFIG): config file not found");
    }

    @Test
    void anUnknownProfileIsAnError() {
        assertThat(lines(ConfigRequest.of(Map.of()).withProfile("staging"))).containsExactly(
                "--profile = staging (flag --profile): unknown profile; the built-in profiles are dev and prod");
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_PROFILE", "../default")))).containsExactly(
                "SIGNALING_PROFILE = ../default (env SIGNALING_PROFILE): unknown profile; the built-in profiles are dev and prod");
    }

    @Test
    void prodWithoutAllowedOriginsFailsSayingWhatToSet() {
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_AUTH_MODE", "none")).withProfile("prod"))).singleElement()
                .asString()
                .startsWith("websocket.allowed-origins = [] (profile prod): required under the prod profile")
                .contains("SIGNALING_WEBSOCKET_ALLOWEDORIGINS=");
    }

    @Test
    void prodWithOriginsEmptiedByEnvStillFails() {
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_WEBSOCKET_ALLOWEDORIGINS", " , ", "SIGNALING_AUTH_MODE", "none"))
                .withProfile("prod"))).singleElement().asString()
                .startsWith("websocket.allowed-origins =  ,  (env SIGNALING_WEBSOCKET_ALLOWEDORIGINS): "
                        + "required under the prod profile");
    }

    @Test
    void prodRequiresAuthModeSetExplicitlyEvenToItsDefault() {
        assertThat(lines(ConfigRequest.of(Map.of("SIGNALING_WEBSOCKET_ALLOWEDORIGINS", "https://app.example"))
                .withProfile("prod"))).singleElement().asString()
                .startsWith("auth.mode = none (default.yaml): required under the prod profile")
                .contains("auth.mode=jwt").contains("auth.mode=none on purpose");
        assertThat(new ConfigLoader().load(ConfigRequest.of(Map.of("SIGNALING_WEBSOCKET_ALLOWEDORIGINS",
                "https://app.example", "SIGNALING_AUTH_MODE", "none")).withProfile("prod")).auth().mode())
                .isEqualTo(AuthMode.NONE);
    }

    @Test
    void jwtModeChecksEveryKeyAndMasksSecrets() throws IOException {
        String path = file("auth:\n  mode: jwt\n  jwt:\n    keys:\n"
                + "      - {kid: short, alg: HS256, secret: tooshort}\n"
                + "      - {kid: both, alg: HS256, secret: x, secret-file: /x}\n"
                + "      - {kid: pem, alg: ES256, public-key-file: /nonexistent/k.pem}\n"
                + "      - {kid: odd, alg: HS256, secret: \"abcdefghijklmnopqrstuvwxyz0123456789\", colour: red}\n");
        List<String> problems = lines(ConfigRequest.of(Map.of()).withConfigFile(path));
        assertThat(problems).anyMatch(l -> l.contains("needs exactly one of secret, secret-file, public-key-file"))
                .anyMatch(l -> l.contains("cannot read public-key-file /nonexistent/k.pem"))
                .anyMatch(l -> l.contains("unknown field 'colour'"))
                .allMatch(l -> !l.contains("tooshort") && !l.contains("abcdefghijklmnopqrstuvwxyz"));
        // Once the list is well formed, each key's own checks run (as the verifier will make them).
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("auth.mode", "jwt")
                .withFlag("auth.jwt.keys", "[{kid: short, alg: HS256, secret: tooshort}, {kid: big, alg: HS512,"
                        + " secret: abcdefghijklmnopqrstuvwxyz0123456789}]")))
                .anyMatch(l -> l.contains("'short': an HS256 secret must be at least 32 bytes"))
                .anyMatch(l -> l.contains("'big': an HS512 secret must be at least 64 bytes"))
                .allMatch(l -> !l.contains("tooshort") && !l.contains("abcdefghijklmnopqrstuvwxyz"));
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("auth.mode", "jwt")))
                .anyMatch(l -> l.contains("auth.mode is jwt but no key is configured"));
    }

    @Test
    void theRoomsApiOnThePublicListenerNeedsJwtMode() {
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("rooms.api-public", "true"))).singleElement().asString()
                .startsWith("rooms.api-public = true (flag")
                .contains("needs auth.mode=jwt");
        assertThat(new ConfigLoader().load(ConfigRequest.of(Map.of()).withFlag("rooms.api-public", "true")
                .withFlag("auth.mode", "jwt").withFlag("auth.jwt.keys",
                        "[{kid: k1, alg: HS256, secret: abcdefghijklmnopqrstuvwxyz0123456789}]")).rooms().apiPublic())
                .isTrue();
    }

    @Test
    void turnSettingsAreCheckedAndTheirSecretsMasked() {
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("turn.urls", "turn:127.0.0.1:3478,http://x")
                .withFlag("turn.ttl", "48h")))
                .anyMatch(l -> l.startsWith("turn.urls") && l.contains("'http://x' must be a stun:"))
                .anyMatch(l -> l.startsWith("turn.ttl") && l.contains("at most 24h"));
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("turn.urls", "turn:127.0.0.1:3478")))
                .anyMatch(l -> l.startsWith("turn.secrets") && l.contains("needs at least one shared secret"));
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("turn.secrets", "[oops").withFlag("turn.ttl", "0s")))
                .allMatch(l -> !l.contains("oops"));
    }

    @Test
    void aSecretIsMaskedInProblems() throws IOException {
        String path = file("redis:\n  password: [hunter2]\n");

        assertThat(lines(ConfigRequest.of(Map.of()).withConfigFile(path))).containsExactly(
                "redis.password = ****** (file " + path + "): expected a single value, not a list");
    }

    @Test
    void aPasswordInTheRedisUriIsRejectedAndMasked() {
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("redis.uri", "redis://user:hunter2@cache:6379")))
                .containsExactly("redis.uri = redis://******@cache:6379 (flag --redis.uri): must not carry a password; "
                        + "set redis.password (it is masked in output)");
    }

    @Test
    void aSectionGivenAsAFlagIsRejected() {
        assertThat(lines(ConfigRequest.of(Map.of()).withFlag("server", "9000"))).containsExactly(
                "server = 9000 (flag --server): is a section, not a setting; set one of its keys, e.g. --server.host=...");
    }
}
