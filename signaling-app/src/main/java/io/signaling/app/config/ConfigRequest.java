package io.signaling.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to load: the command line's choices and the environment. The environment is passed in,
 * never read from {@code System.getenv()} by the loader, so loading is a pure function of its
 * inputs and tests are hermetic.
 *
 * @param profile    {@code --profile NAME}; when empty, {@code SIGNALING_PROFILE} from {@code env}
 * @param configFile {@code --config PATH}; when empty, {@code SIGNALING_CONFIG} from {@code env}
 * @param flags      {@code --key=value} options by key (e.g. {@code server.port}), in command-line order
 * @param env        the process environment
 * @param overrides  settings a command forces above every layer, if any (see {@link Overrides})
 */
public record ConfigRequest(
        Optional<String> profile,
        Optional<String> configFile,
        Map<String, String> flags,
        Map<String, String> env,
        Optional<Overrides> overrides) {

    public ConfigRequest {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(configFile, "configFile");
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(flags, "flags")));
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(overrides, "overrides");
    }

    /** A request without command overrides, as every start except {@code warmup} makes. */
    public ConfigRequest(Optional<String> profile, Optional<String> configFile, Map<String, String> flags,
                         Map<String, String> env) {
        this(profile, configFile, flags, env, Optional.empty());
    }

    /**
     * Settings a command forces on top of every layer, keyed like flags ({@code server.port}).
     * Every layer below is still read and validated as a plain start validates it, so an invalid
     * value stays an error even where an override replaces it; the only difference is that a
     * value a profile requires ({@code websocket.allowed-origins} under {@code prod}) counts as
     * given when the command overrides it.
     *
     * @param command  the command that forces them, named as the source of these values
     * @param settings key to value, in the order applied
     */
    public record Overrides(String command, Map<String, String> settings) {
        public Overrides {
            Objects.requireNonNull(command, "command");
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(settings, "settings")));
        }
    }

    /** Only the environment: what a launch without options loads. */
    public static ConfigRequest of(Map<String, String> env) {
        return new ConfigRequest(Optional.empty(), Optional.empty(), Map.of(), env);
    }

    public ConfigRequest withProfile(String name) {
        return new ConfigRequest(Optional.of(name), configFile, flags, env, overrides);
    }

    public ConfigRequest withConfigFile(String path) {
        return new ConfigRequest(profile, Optional.of(path), flags, env, overrides);
    }

    /** Adds {@code --key=value}; a later value for the same key replaces the earlier one. */
    public ConfigRequest withFlag(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(flags);
        more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new ConfigRequest(profile, configFile, more, env, overrides);
    }

    /** Forces {@code settings} above every layer, in the name of {@code command}. */
    public ConfigRequest withOverrides(String command, Map<String, String> settings) {
        return new ConfigRequest(profile, configFile, flags, env, Optional.of(new Overrides(command, settings)));
    }
}
