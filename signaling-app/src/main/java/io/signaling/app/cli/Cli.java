package io.signaling.app.cli;

import io.signaling.app.config.ConfigException;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigProblem;
import io.signaling.app.config.ConfigRequest;
import io.signaling.app.config.ConfigSource;
import io.signaling.app.config.SignalingConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The command line: {@code [check | warmup] [--config PATH] [--profile NAME] [--key=value...]
 * [--help] [--version]}.
 *
 * <p>{@link #parse(String[], Map)} is a pure function: it reads the named config file and the
 * class path, nothing else, and neither prints nor exits. The launcher acts on the
 * {@link Invocation} and owns the exit codes:
 * <ul>
 *   <li>{@code 0}: ran and shut down cleanly; {@code check} found the configuration valid;
 *       {@code warmup} exercised the node and stopped it cleanly; {@code --help};
 *       {@code --version};</li>
 *   <li>{@code 1}: a failure at run time (port in use, shutdown past its deadline, a
 *       {@code warmup} step that failed);</li>
 *   <li>{@code 2}: a usage or configuration problem ({@link Invocation#isValid()} is false),
 *       after printing {@link Invocation#problemReport()} to stderr; nothing was started.</li>
 * </ul>
 *
 * <p>{@code warmup} loads the configuration exactly as a start does (every layer read, every
 * problem reported), then forces {@link #WARMUP_OVERRIDES} on top, which are the reasons it can
 * run anywhere, e.g. in an image build, without the operator's settings for a real start.
 */
public final class Cli {

    /** The exit code for usage and configuration problems. */
    public static final int EXIT_CONFIG_ERROR = 2;

    private static final List<String> OPTIONS = List.of("--config", "--profile", "--help", "--version");
    private static final List<String> COMMANDS = List.of("check", "warmup", "token");
    private static final List<String> TOKEN_OPTIONS = List.of("--sub", "--room", "--ttl");

    /**
     * The only {@code Origin} {@code warmup} admits: its own client's. The {@code .invalid} name
     * (RFC 2606) can never be the origin of a real page, so no browser can connect to a warmup.
     */
    public static final String WARMUP_ORIGIN = "http://warmup.invalid";

    /**
     * What {@code warmup} forces above every configuration layer, and why:
     * <ul>
     *   <li>both listeners on 127.0.0.1, port 0: a training run must not collide with a server
     *       already running on the configured ports, nor open a port to the network (the image
     *       sets {@code admin.host=0.0.0.0} for Prometheus);</li>
     *   <li>{@code websocket.allowed-origins}: the prod profile refuses an empty list so that
     *       browsers connect only from the operator's pages, and an image build does not know
     *       those. Rather than allowing every origin, the list holds only {@link #WARMUP_ORIGIN},
     *       which the warmup client sends: the origin check runs as it does in production, and
     *       it admits nothing else;</li>
     *   <li>{@code auth.mode=none}: the prod profile requires an explicit choice, and the warmup
     *       client has no token; its sockets stay on loopback and the run ends by itself;</li>
     *   <li>no readiness delay and a short drain: no load balancer watches a training run, and
     *       its own sockets are closed before it stops, so the drain has nothing to wait for
     *       (the bound only caps a run that went wrong).</li>
     * </ul>
     * Everything else (logging, metrics, tracing, limits) stays as configured, so the run loads
     * the classes a real start with the same configuration loads.
     */
    public static final Map<String, String> WARMUP_OVERRIDES = orderedMap(
            "server.host", "127.0.0.1",
            "server.port", "0",
            "admin.host", "127.0.0.1",
            "admin.port", "0",
            "websocket.allowed-origins", WARMUP_ORIGIN,
            "auth.mode", "none",
            "shutdown.readiness-delay", "0s",
            "shutdown.drain-timeout", "5s");

    private Cli() {
    }

    /** Parses with the configuration read from this module's class path. */
    public static Invocation parse(String[] args, Map<String, String> env) {
        return parse(args, env, new ConfigLoader());
    }

    public static Invocation parse(String[] args, Map<String, String> env, ConfigLoader loader) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(loader, "loader");
        List<ConfigProblem> problems = new ArrayList<>();
        Command command = Command.RUN;
        boolean help = false;
        boolean version = false;
        ConfigRequest request = ConfigRequest.of(env);
        Set<String> seen = new HashSet<>();
        Map<String, String> tokenOptions = new LinkedHashMap<>();

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
                help = true;
            } else if (arg.equals("--version") || arg.equals("-V")) {
                version = true;
            } else if (COMMANDS.contains(arg)) {
                Command named = arg.equals("check") ? Command.CHECK : arg.equals("warmup") ? Command.WARMUP
                        : Command.TOKEN;
                if (command == named) {
                    problems.add(usage(arg, "'" + arg + "' given twice"));
                } else if (command != Command.RUN) {
                    problems.add(usage(arg, "one command at a time: 'check', 'warmup' and 'token' cannot be combined"));
                }
                command = named;
            } else if (TOKEN_OPTIONS.stream().anyMatch(o -> isValued(arg, o))) {
                String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                        : i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : null;
                if (value == null || value.isBlank()) {
                    problems.add(usage(option, "needs a value: " + option + " VALUE"));
                } else if (tokenOptions.put(option, value) != null) {
                    problems.add(usage(option, "given more than once"));
                }
            } else if (isValued(arg, "--config") || isValued(arg, "--profile")) {
                String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                } else {
                    problems.add(usage(option, "needs a value: " + option + (option.equals("--config") ? " PATH" : " NAME")));
                    continue;
                }
                if (!seen.add(option)) {
                    problems.add(usage(option, "given more than once"));
                } else if (value.isBlank()) {
                    problems.add(usage(option, "needs a non-empty value"));
                } else {
                    request = option.equals("--config") ? request.withConfigFile(value) : request.withProfile(value);
                }
            } else if (arg.startsWith("--") && arg.length() > 2) {
                int eq = arg.indexOf('=');
                if (eq < 0) {
                    problems.add(usage(arg, "unknown option; settings are written --key=value (e.g. --server.port=9000), "
                            + "options are " + String.join(", ", OPTIONS)));
                    continue;
                }
                String key = arg.substring(2, eq);
                if (key.isEmpty()) {
                    problems.add(usage(arg, "a setting needs a key: --key=value"));
                } else if (!seen.add("--" + key)) {
                    problems.add(usage("--" + key, "given more than once"));
                } else {
                    request = request.withFlag(key, arg.substring(eq + 1));
                }
            } else if (arg.startsWith("-")) {
                problems.add(usage(arg, "unknown option; options are " + String.join(", ", OPTIONS)
                        + " and --key=value settings"));
            } else {
                problems.add(usage(arg, "unexpected argument; the commands are 'check', 'warmup', 'token' and 'help'"));
            }
        }

        // Help and version must work whatever else is wrong: they are how one finds out.
        if (help) {
            return new Invocation(Command.HELP, Optional.empty(), List.of());
        }
        if (version) {
            return new Invocation(Command.VERSION, Optional.empty(), List.of());
        }
        if (command == Command.WARMUP) {
            request = request.withOverrides("warmup", WARMUP_OVERRIDES);
        }
        Optional<Invocation.TokenRequest> token = Optional.empty();
        if (command == Command.TOKEN) {
            token = tokenRequest(tokenOptions, problems);
        } else if (!tokenOptions.isEmpty()) {
            problems.add(usage(tokenOptions.keySet().iterator().next(), "belongs to the 'token' command only"));
        }
        try {
            SignalingConfig config = loader.load(request);
            if (command == Command.TOKEN && config.auth().keys().stream().noneMatch(k -> k.isHmac())) {
                problems.add(ConfigProblem.ofSource(new ConfigSource.Flag("token"), "auth.jwt.keys has no HMAC key"
                        + " (HS256, HS384, HS512) to sign with; add one, e.g. {kid: dev, alg: HS256, secret: ...}"));
            }
            if (problems.isEmpty()) {
                return new Invocation(command, Optional.of(config), List.of(), token);
            }
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        return new Invocation(command, Optional.empty(), problems);
    }

    private static Optional<Invocation.TokenRequest> tokenRequest(Map<String, String> options,
                                                                  List<ConfigProblem> problems) {
        String sub = options.get("--sub");
        String room = options.get("--room");
        java.time.Duration ttl = java.time.Duration.ofHours(1);
        if (sub == null || sub.length() > io.signaling.ports.auth.AccessGrant.MAX_IDENTITY_LENGTH) {
            problems.add(usage("--sub", "token needs --sub ID, the caller's identity (1 to 128 characters)"));
        }
        if (room == null || !io.signaling.domain.signaling.RoomId.isValid(room)) {
            problems.add(usage("--room", "token needs --room NAME, the one room it grants ("
                    + io.signaling.domain.signaling.RoomId.describeInvalid(room) + ")"));
        }
        if (options.containsKey("--ttl")) {
            try {
                ttl = io.signaling.app.config.Values.parseDuration(options.get("--ttl"));
                if (ttl.isNegative() || ttl.isZero()) {
                    problems.add(usage("--ttl", "must be positive, e.g. 1h"));
                }
            } catch (RuntimeException e) {
                problems.add(usage("--ttl", "must be a duration such as 30m, 1h, 24h"));
            }
        }
        return Optional.of(new Invocation.TokenRequest(sub, room, ttl));
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static boolean isValued(String arg, String option) {
        return arg.equals(option) || arg.startsWith(option + "=");
    }

    private static ConfigProblem usage(String arg, String reason) {
        return ConfigProblem.ofSource(new ConfigSource.Flag(arg), reason);
    }

    /** The version from the jar manifest, {@code dev} when run from classes. */
    public static String version() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return "signaling " + (v == null ? "dev" : v);
    }

    /** The usage text, naming the jar this runs from. */
    public static String usage() {
        return usage(jarName());
    }

    static String usage(String jar) {
        return """
                Usage: java -jar signaling-app.jar [check | warmup] [--config PATH] [--profile NAME] [--key=value...]
                       java -jar signaling-app.jar token --sub ID --room ROOM [--ttl 1h] [--config PATH] ...
                       java -jar signaling-app.jar help | --help | --version

                Commands:
                  (none)            start the server
                  check             validate the configuration, print it (secrets masked), start nothing
                  warmup            a training run for an AppCDS archive: start on 127.0.0.1 with free
                                    ports, exercise HTTP, metrics and a WebSocket session, stop, exit;
                                    e.g. java -XX:ArchiveClassesAtExit=app.jsa -jar signaling-app.jar warmup
                                    (the configuration is validated as for a start; allowed origins
                                    are not needed)
                  token             mint a development access token with the first HMAC key of
                                    auth.jwt.keys (configuration layered as for a start) and print
                                    it alone on the last line: --sub ID --room ROOM [--ttl 1h]

                Options:
                  --config PATH     a YAML config file (or SIGNALING_CONFIG=PATH)
                  --profile NAME    a built-in profile: dev or prod (or SIGNALING_PROFILE=NAME)
                  --KEY=VALUE       set one setting, e.g. --server.port=9000
                  help, --help, -h  this text
                  --version, -V     the version

                Precedence, highest first: --KEY=VALUE flags, SIGNALING_* environment variables
                (SIGNALING_ + key upper-cased, dashes dropped, dots as _: SIGNALING_SERVER_PORT=9000),
                the --config file, the --profile file, the built-in default.yaml.

                Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
                """.replace("signaling-app.jar", jar);
    }

    /**
     * The file name of the jar this class was loaded from, as the user typed it to run us; the
     * shaded jar's name when run from classes (tests, an IDE).
     */
    static String jarName() {
        try {
            var source = Cli.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                String path = source.getLocation().getPath();
                String file = path.substring(path.lastIndexOf('/') + 1);
                if (file.endsWith(".jar")) {
                    return file;
                }
            }
        } catch (SecurityException | NullPointerException e) {
            // No code source to ask: fall back to the name the build gives the jar.
        }
        String v = Cli.class.getPackage().getImplementationVersion();
        return "signaling-app-" + (v == null ? "VERSION" : v) + "-all.jar";
    }
}
