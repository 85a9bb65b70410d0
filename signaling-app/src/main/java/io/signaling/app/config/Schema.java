package io.signaling.app.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names of every setting, in the order they are rendered, and their relaxed environment
 * spellings. Types and rules live in {@link Binder}; a test keeps the two and
 * {@code default.yaml} in step.
 */
final class Schema {

    static final String LEVELS = "logging.levels";
    static final String LEVELS_PREFIX = LEVELS + ".";
    static final String ENV_PREFIX = "SIGNALING_";
    static final String ENV_LEVELS_PREFIX = "LOGGING_LEVELS_";
    /** Variables that choose sources rather than set a key. */
    static final String ENV_CONFIG = "SIGNALING_CONFIG";
    static final String ENV_PROFILE = "SIGNALING_PROFILE";

    static final List<String> KEYS = List.of(
            "service.name", "service.instance-id", "service.environment",
            "server.host", "server.port", "server.io-threads", "server.worker-threads",
            "server.max-request-body",
            "admin.enabled", "admin.host", "admin.port",
            "shutdown.readiness-delay", "shutdown.drain-timeout", "shutdown.retry-after",
            "health.check-timeout", "health.cache-ttl",
            "logging.format", "logging.level", LEVELS, "logging.queue-size", "logging.access-log",
            "logging.access-log-exclude",
            "metrics.enabled",
            "tracing.exporter", "tracing.sampling-ratio",
            "websocket.path", "websocket.max-message-size", "websocket.idle-timeout",
            "websocket.ping-interval", "websocket.send-timeout", "websocket.send-queue-messages",
            "websocket.send-queue-bytes", "websocket.max-connections", "websocket.allowed-origins",
            "rooms.max-peers",
            "rate-limit.messages-per-second", "rate-limit.burst",
            "redis.enabled", "redis.uri", "redis.password", "redis.channel-prefix",
            "auth.mode", "auth.jwt.audience", "auth.jwt.issuers", "auth.jwt.clock-skew", "auth.jwt.keys",
            "auth.jwt.jwks-uri",
            "turn.urls", "turn.secrets", "turn.ttl");

    /** Masked wherever shown; {@code auth.jwt.keys} masks only its entries' {@code secret} (see Binder.display). */
    static final Set<String> SECRETS = Set.of("redis.password", "turn.secrets");

    /** Keys whose value is a list (sequence or comma-separated string). */
    static final Set<String> LISTS = Set.of("logging.access-log-exclude", "websocket.allowed-origins",
            "auth.jwt.issuers", "turn.urls", "turn.secrets");

    /** Every mapping that holds keys: top-level sections and nested ones such as {@code auth.jwt}. */
    static final List<String> SECTIONS = KEYS.stream()
            .flatMap(k -> {
                List<String> prefixes = new java.util.ArrayList<>();
                for (int dot = k.indexOf('.'); dot > 0; dot = k.indexOf('.', dot + 1)) {
                    prefixes.add(k.substring(0, dot));
                }
                return prefixes.stream();
            })
            .filter(prefix -> !prefix.startsWith(LEVELS))
            .distinct()
            .toList();

    private static final Map<String, String> BY_ENV_NAME = new LinkedHashMap<>();

    static {
        for (String key : KEYS) {
            if (!key.equals(LEVELS)) {
                BY_ENV_NAME.put(envName(key), key);
            }
        }
    }

    private Schema() {
    }

    /** A plain setting, i.e. anything but the {@code logging.levels} map. */
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
        return ENV_PREFIX + key.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The key a {@code SIGNALING_*} variable sets, the prefix already removed and upper-cased. */
    static Optional<String> keyForEnv(String upperRest) {
        return Optional.ofNullable(BY_ENV_NAME.get(ENV_PREFIX + upperRest));
    }

    static Set<String> envNames() {
        return BY_ENV_NAME.keySet();
    }
}
