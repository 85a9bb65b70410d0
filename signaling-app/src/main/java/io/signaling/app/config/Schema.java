package io.signaling.app.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The names of every setting, in the order they are rendered, and their relaxed environment
 * spellings; all derived from the declarations in {@link Keys}.
 */
final class Schema {

    static final String LEVELS = Keys.LOGGING_LEVELS.name();
    static final String LEVELS_PREFIX = LEVELS + ".";
    static final String ENV_PREFIX = "SIGNALING_";
    static final String ENV_LEVELS_PREFIX = "LOGGING_LEVELS_";
    /** Variables that choose sources rather than set a key. */
    static final String ENV_CONFIG = "SIGNALING_CONFIG";
    static final String ENV_PROFILE = "SIGNALING_PROFILE";

    static final List<String> KEYS = Keys.all().stream().map(Key::name).toList();

    static final Set<String> SECRETS = Keys.all().stream().filter(Key::isSecret).map(Key::name)
            .collect(Collectors.toUnmodifiableSet());

    /** Every mapping that holds keys: the sections, and nested ones such as {@code auth.jwt}. */
    static final List<String> SECTIONS = java.util.stream.Stream.concat(
                    Keys.SECTIONS.stream().map(Keys.Section::name),
                    KEYS.stream().filter(k -> k.indexOf('.') != k.lastIndexOf('.') && !k.startsWith(LEVELS))
                            .map(k -> k.substring(0, k.lastIndexOf('.'))))
            .distinct().toList();

    private static final Map<String, String> BY_ENV_NAME = new LinkedHashMap<>();

    static {
        for (Key<?> key : Keys.all()) {
            if (!(key.type() instanceof Types.MapType)) {
                BY_ENV_NAME.put(key.envName(), key.name());
            }
        }
    }

    private Schema() {
    }

    /** A plain setting, i.e. anything but a map such as {@code logging.levels}. */
    static boolean isLeaf(String key) {
        return KEYS.contains(key) && !key.equals(LEVELS);
    }

    /** A mapping that holds settings: a section, or {@code logging.levels}. */
    static boolean isMapping(String key) {
        return SECTIONS.contains(key) || key.equals(LEVELS);
    }

    static boolean isLevelEntry(String key) {
        return key.startsWith(LEVELS_PREFIX) && key.length() > LEVELS_PREFIX.length();
    }

    static boolean isSecret(String key) {
        return SECRETS.contains(key);
    }

    /** {@code rate-limit.messages-per-second} → {@code SIGNALING_RATELIMIT_MESSAGESPERSECOND}. */
    static String envName(String key) {
        Key<?> declared = Keys.byName(key);
        if (declared == null) {
            throw new IllegalArgumentException("not a key: " + key);
        }
        return declared.envName();
    }

    /** The key a {@code SIGNALING_*} variable sets, the prefix already removed and upper-cased. */
    static Optional<String> keyForEnv(String upperRest) {
        return Optional.ofNullable(BY_ENV_NAME.get(ENV_PREFIX + upperRest));
    }

    static Set<String> envNames() {
        return BY_ENV_NAME.keySet();
    }
}
