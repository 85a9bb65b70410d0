package io.signaling.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads, merges and validates the configuration.
 *
 * <p>Sources, highest precedence first:
 * <ol>
 *   <li>command line {@code --key=value}, e.g. {@code --server.port=9000};</li>
 *   <li>environment {@code SIGNALING_*}: the key upper-cased, dashes dropped, dots as {@code _}
 *       (Spring Boot's relaxed binding): {@code SIGNALING_SHUTDOWN_DRAINTIMEOUT} sets
 *       {@code shutdown.drain-timeout}, {@code SIGNALING_LOGGING_LEVELS_IO_UNDERTOW} sets the
 *       level of logger {@code io.undertow}; lists are comma-separated;</li>
 *   <li>the config file, {@code --config PATH} or {@code SIGNALING_CONFIG};</li>
 *   <li>the profile, {@code --profile NAME} or {@code SIGNALING_PROFILE}: classpath
 *       {@code profiles/NAME.yaml};</li>
 *   <li>the classpath {@code default.yaml}, which sets every key.</li>
 * </ol>
 * Files merge key by key, so a file may set one key of a section; lists are replaced whole and
 * {@code logging.levels} merges per logger. Every problem in every source is collected before
 * failing, with its key, value, source and reason.
 *
 * <p>Thread-safe and stateless apart from its resource loader; loading has no side effects
 * beyond reading the named files.
 */
public final class ConfigLoader {

    private static final Pattern PROFILE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final ClassLoader resources;

    /** Reads {@code default.yaml} and profiles from this module's own class path. */
    public ConfigLoader() {
        this(ConfigLoader.class.getClassLoader());
    }

    /** Reads {@code default.yaml} and {@code profiles/NAME.yaml} through {@code resources}. */
    public ConfigLoader(ClassLoader resources) {
        this.resources = Objects.requireNonNull(resources, "resources");
    }

    /** The built-in defaults alone, e.g. as a base for tests of an embedding service. */
    public static SignalingConfig defaults() {
        return new ConfigLoader().load(ConfigRequest.of(Map.of()));
    }

    /**
     * @return the validated configuration
     * @throws ConfigException listing every problem found
     */
    public SignalingConfig load(ConfigRequest request) {
        Objects.requireNonNull(request, "request");
        List<ConfigProblem> problems = new ArrayList<>();
        Layers layers = new Layers();
        Map<String, Entry> merged = new LinkedHashMap<>();

        ConfigSource defaults = new ConfigSource.Defaults();
        String defaultText = resource("default.yaml");
        if (defaultText == null) {
            problems.add(ConfigProblem.ofSource(defaults, "not found on the class path; the jar is incomplete"));
        } else if (isOwnDefaults()) {
            merged.putAll(layers.fromKeys(defaults, problems));
        } else {
            merged.putAll(layers.fromYaml(defaultText, defaults, problems));
        }

        String profile = request.profile().orElse(request.env().get(Schema.ENV_PROFILE));
        if (profile != null && profile.isBlank()) {
            profile = null; // SIGNALING_PROFILE= (set but empty) means no profile, as in most tools
        }
        if (profile != null) {
            ConfigSource chosenBy = request.profile().isPresent()
                    ? new ConfigSource.Flag("--profile") : new ConfigSource.Env(Schema.ENV_PROFILE);
            String key = request.profile().isPresent() ? "--profile" : Schema.ENV_PROFILE;
            String text = PROFILE_NAME.matcher(profile).matches() ? resource("profiles/" + profile + ".yaml") : null;
            if (text == null) {
                problems.add(new ConfigProblem(key, profile, chosenBy,
                        "unknown profile; the built-in profiles are dev and prod"));
                profile = null;
            } else {
                merged.putAll(layers.fromYaml(text, new ConfigSource.Profile(profile), problems));
            }
        }

        String file = request.configFile().orElse(request.env().get(Schema.ENV_CONFIG));
        if (file != null && !(request.configFile().isEmpty() && file.isBlank())) {
            boolean byFlag = request.configFile().isPresent();
            ConfigSource chosenBy = byFlag ? new ConfigSource.Flag("--config") : new ConfigSource.Env(Schema.ENV_CONFIG);
            String key = byFlag ? "--config" : Schema.ENV_CONFIG;
            String reason = null;
            try {
                String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
                merged.putAll(layers.fromYaml(text, new ConfigSource.File(file), problems));
            } catch (NoSuchFileException e) {
                reason = "config file not found (working directory " + Path.of("").toAbsolutePath() + ")";
            } catch (InvalidPathException e) {
                reason = "not a valid path: " + e.getReason();
            } catch (CharacterCodingException e) {
                reason = "config file is not UTF-8 text";
            } catch (IOException e) {
                reason = "cannot read config file: " + e;
            }
            if (reason != null) {
                problems.add(new ConfigProblem(key, file.isEmpty() ? "\"\"" : file, chosenBy, reason));
            }
        }

        merged.putAll(layers.fromEnv(request.env(), problems));
        merged.putAll(layers.fromFlags(request.flags(), problems));

        if (request.overrides().isEmpty()) {
            SignalingConfig config = new Binder(merged, problems).bind(profile, Set.of());
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return config;
        }
        // Bound twice: first what the operator gave, exactly as a plain start checks it (so a
        // bad server.port is reported even though the command replaces it), then with the
        // command's values on top. Only a profile's required keys that the command sets itself
        // are not demanded of the operator.
        ConfigRequest.Overrides overrides = request.overrides().get();
        new Binder(merged, problems).bind(profile, overrides.settings().keySet());
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        merged.putAll(layers.fromSettings(overrides.settings(), key -> new ConfigSource.Command(overrides.command()),
                problems));
        SignalingConfig config = new Binder(merged, problems).bind(profile, overrides.settings().keySet());
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /**
     * Whether {@code default.yaml} is this module's own, which {@code ConfigReferenceTest} keeps
     * equal to what {@link Keys} renders: then the declarations give the same layer without
     * parsing YAML (SnakeYAML and Jackson's YAML module are ~100 classes and ~100 ms of a start
     * on one core). Any other file, e.g. from a loader of the caller's, is parsed as before.
     */
    private boolean isOwnDefaults() {
        URL url = resources.getResource("default.yaml");
        java.security.CodeSource code = ConfigLoader.class.getProtectionDomain().getCodeSource();
        if (url == null || code == null || code.getLocation() == null) {
            return false;
        }
        String home = code.getLocation().toExternalForm();
        String found = url.toExternalForm();
        return found.equals(home + "default.yaml") || found.equals("jar:" + home + "!/default.yaml");
    }

    private String resource(String name) {
        try (InputStream in = resources.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
