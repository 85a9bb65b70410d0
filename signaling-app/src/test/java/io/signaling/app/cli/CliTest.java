package io.signaling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigProblem;
import io.signaling.app.config.EffectiveConfig;
import io.signaling.app.config.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path dir;

    private static Invocation parse(String... args) {
        return Cli.parse(args, Map.of());
    }

    @Test
    void noArgumentsRunsWithTheDefaults() {
        Invocation inv = parse();

        assertThat(inv.command()).isEqualTo(Command.RUN);
        assertThat(inv.isValid()).isTrue();
        assertThat(inv.config()).contains(ConfigLoader.defaults());
    }

    @Test
    void checkWithConfigProfileAndSettings() throws IOException {
        Path file = Files.writeString(dir.resolve("x.yaml"), "server:\n  port: 7000\n");

        Invocation inv = Cli.parse(new String[] {"check", "--config", file.toString(), "--profile=dev",
                "--admin.port=7001"}, Map.of("SIGNALING_SERVER_HOST", "127.0.0.1"));

        assertThat(inv.command()).isEqualTo(Command.CHECK);
        assertThat(inv.problems()).isEmpty();
        var c = inv.config().orElseThrow();
        assertThat(c.server().port()).isEqualTo(7000);
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.admin().port()).isEqualTo(7001);
        assertThat(c.logging().level().name()).isEqualTo("DEBUG");
    }

    @Test
    void theConfigOptionAlsoTakesEqualsForm() throws IOException {
        Path file = Files.writeString(dir.resolve("x.yaml"), "rooms:\n  max-peers: 4\n");

        assertThat(parse("--config=" + file).config().orElseThrow().rooms().maxPeers()).isEqualTo(4);
    }

    @Test
    void checkOutputMasksTheSecret() {
        Invocation inv = Cli.parse(new String[] {"check", "--redis.password=s3cr3t-value"},
                Map.of());

        String printed = EffectiveConfig.render(inv.config().orElseThrow());

        assertThat(inv.config().orElseThrow().redis().password().reveal()).isEqualTo("s3cr3t-value");
        assertThat(printed).doesNotContain("s3cr3t-value").contains("password: '" + Secret.MASK + "'");
    }

    @Test
    void helpAndVersionNeedNoValidConfig() {
        assertThat(Cli.parse(new String[] {"--server.port=-1", "--help"}, Map.of("SIGNALING_NOPE", "x")))
                .isEqualTo(new Invocation(Command.HELP, java.util.Optional.empty(), java.util.List.of()));
        assertThat(parse("-V").command()).isEqualTo(Command.VERSION);
        assertThat(Cli.usage()).contains("--config PATH", "--profile NAME", "check", "warmup", "Exit codes");
        assertThat(Cli.version()).startsWith("signaling ");
    }

    @Test
    void helpWithoutDashesIsHelp() {
        assertThat(parse("help").command()).isEqualTo(Command.HELP);
        assertThat(Cli.parse(new String[] {"check", "help", "--nope"}, Map.of()).command()).isEqualTo(Command.HELP);
    }

    @Test
    void usageNamesTheJarItRunsFrom() {
        assertThat(Cli.usage("signaling-app-1.2.3-all.jar"))
                .contains("java -jar signaling-app-1.2.3-all.jar [check | warmup]")
                .contains("-jar signaling-app-1.2.3-all.jar warmup")
                .doesNotContain("signaling-app.jar");
        // Run from classes here: the name the build gives the shaded jar.
        assertThat(Cli.jarName()).matches("signaling-app-.+-all\\.jar");
    }

    @Test
    void unknownOptionsAndArgumentsAreProblemsReportedWithConfigProblems() {
        Invocation inv = Cli.parse(new String[] {"--verbose", "-x", "start", "--server.port=70000"},
                Map.of("SIGNALING_SERVR_PORT", "1"));

        assertThat(inv.isValid()).isFalse();
        assertThat(inv.config()).isEmpty();
        assertThat(inv.problems()).extracting(ConfigProblem::toString).containsExactly(
                "flag --verbose: unknown option; settings are written --key=value (e.g. --server.port=9000), "
                        + "options are --config, --profile, --help, --version",
                "flag -x: unknown option; options are --config, --profile, --help, --version and --key=value settings",
                "flag start: unexpected argument; the commands are 'check', 'warmup', 'token' and 'help'",
                "SIGNALING_SERVR_PORT = 1 (env SIGNALING_SERVR_PORT): unknown variable; "
                        + "did you mean `SIGNALING_SERVER_PORT` (server.port)?",
                "server.port = 70000 (flag --server.port): must be between 0 and 65535 (0 picks a free port)");
        assertThat(inv.problemReport().lines()).hasSize(5);
    }

    @Test
    void anOptionWithoutItsValueIsAProblem() {
        assertThat(parse("--config").problemReport()).isEqualTo("flag --config: needs a value: --config PATH");
        assertThat(parse("--profile", "--server.port=1").problemReport())
                .isEqualTo("flag --profile: needs a value: --profile NAME");
    }

    @Test
    void aSettingGivenTwiceIsAProblemNotASilentChoice() {
        assertThat(parse("--server.port=1", "--server.port=2").problemReport())
                .isEqualTo("flag --server.port: given more than once");
        assertThat(parse("--profile=dev", "--profile", "prod").problemReport())
                .isEqualTo("flag --profile: given more than once");
    }

    @Test
    void checkRunsValidationSoABadConfigIsReported() {
        Invocation inv = parse("check", "--profile", "prod");

        assertThat(inv.command()).isEqualTo(Command.CHECK);
        assertThat(inv.problems()).extracting(ConfigProblem::key).containsExactly("websocket.allowed-origins", "auth.mode");
    }

    @Test
    void theProfileMayComeFromTheEnvironment() {
        Invocation inv = Cli.parse(new String[0], Map.of("SIGNALING_PROFILE", "dev"));

        assertThat(inv.config().orElseThrow().logging().format().name()).isEqualTo("TEXT");
    }

    @Test
    void warmupForcesLoopbackFreePortsItsOwnOriginAndAShortShutdownOverEveryLayer() {
        // The image's environment: prod profile without origins, admin on every interface.
        Invocation inv = Cli.parse(new String[] {"warmup", "--profile", "prod", "--server.port=9000"},
                Map.of("SIGNALING_ADMIN_HOST", "0.0.0.0", "SIGNALING_ADMIN_ALLOWPUBLIC", "true",
                        "SIGNALING_ADMIN_PORT", "9090"));

        assertThat(inv.command()).isEqualTo(Command.WARMUP);
        assertThat(inv.problems()).isEmpty();
        var c = inv.config().orElseThrow();
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isZero();
        assertThat(c.admin().enabled()).isTrue();
        assertThat(c.admin().host()).isEqualTo("127.0.0.1");
        assertThat(c.admin().port()).isZero();
        assertThat(c.websocket().allowedOrigins()).containsExactly(Cli.WARMUP_ORIGIN);
        assertThat(c.shutdown().readinessDelay()).isZero();
        assertThat(c.shutdown().drainTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(c.logging().format().name()).as("everything else as configured (prod)").isEqualTo("JSON");
    }

    @Test
    void warmupValidatesTheConfigurationAsAStartDoesAndListsEveryProblem() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "server:\n  prot: 1\n");

        Invocation inv = Cli.parse(new String[] {"warmup", "--config", file.toString(), "--server.port=70000",
                "--websocket.idle-timeout=abc"}, Map.of("SIGNALING_PROFILE", "prod"));

        assertThat(inv.command()).isEqualTo(Command.WARMUP);
        assertThat(inv.config()).isEmpty();
        assertThat(inv.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "server.prot", "server.port", "websocket.idle-timeout");
    }

    @Test
    void checkAndWarmupAreOneCommandAtATime() {
        assertThat(parse("warmup", "check").problemReport())
                .isEqualTo("flag check: one command at a time: 'check', 'warmup' and 'token' cannot be combined");
        assertThat(parse("check", "warmup").problemReport())
                .isEqualTo("flag warmup: one command at a time: 'check', 'warmup' and 'token' cannot be combined");
        assertThat(parse("warmup", "warmup").problemReport()).isEqualTo("flag warmup: 'warmup' given twice");
        assertThat(parse("check", "check").problemReport()).isEqualTo("flag check: 'check' given twice");
    }

    @Test
    void aPlainStartIsNotOverriddenByWhatWarmupForces() {
        var c = parse("--admin.port=9191").config().orElseThrow();

        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.admin().port()).isEqualTo(9191);
        assertThat(c.websocket().allowedOrigins()).isEmpty();
    }

    @Test
    void tokenMintsWithTheFirstHmacKeyAndPrintsTheTokenAloneOnTheLastLine() throws Exception {
        Path file = Files.writeString(dir.resolve("auth.yaml"), "auth:\n  mode: jwt\n  jwt:\n    keys:\n"
                + "      - {kid: k1, alg: HS256, secret: \"token-command-secret-of-32-bytes!!\"}\n");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = new io.signaling.app.Launcher(Map.of(), new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true), action -> { }).run(new String[] {"token", "--config", file.toString(),
                "--sub", "alice", "--room", "demo", "--ttl", "1h"});
        assertThat(exit).as(err.toString()).isZero();
        String[] lines = out.toString().strip().split("\n");
        String token = lines[lines.length - 1];
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        io.signaling.ports.auth.AccessGrant grant = io.signaling.adapter.jwt.JwtVerifiers.builder()
                .hmacKey("k1", "HS256", "token-command-secret-of-32-bytes!!".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build().verify(token);
        assertThat(grant.identity()).isEqualTo("alice");
        assertThat(grant.room().value()).isEqualTo("demo");
        assertThat(grant.expiresAt()).isBetween(java.time.Instant.now().plusSeconds(3500), java.time.Instant.now().plusSeconds(3700));
    }

    @Test
    void tokenNeedsSubRoomAndAnHmacKey() {
        Invocation inv = parse("token", "--room", "not a room");
        assertThat(inv.problemReport()).contains("--sub").contains("--room").contains("no HMAC key");
        assertThat(parse("--sub", "alice").problemReport()).contains("belongs to the 'token' command only");
    }
}
