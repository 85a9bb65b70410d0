package io.signaling.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Converts the merged raw values into the typed records and checks every rule, collecting all
 * problems rather than stopping at the first. On a problem it carries on with a harmless
 * placeholder so later keys are still checked; the placeholders never escape, because any
 * problem makes {@link ConfigLoader} throw.
 */
final class Binder {

    /** Settings that must not stay empty under a profile, with the hint shown when they are. */
    static final Map<String, Map<String, String>> REQUIRED_BY_PROFILE = Map.of(
            "prod", Map.of("websocket.allowed-origins",
                    "required under the prod profile: browsers must only connect from your own pages; set "
                            + "SIGNALING_WEBSOCKET_ALLOWEDORIGINS=https://app.example.com,https://www.example.com "
                            + "or websocket.allowed-origins in the config file"));

    private final Map<String, Entry> values;
    private final List<ConfigProblem> problems;

    Binder(Map<String, Entry> values, List<ConfigProblem> problems) {
        this.values = values;
        this.problems = problems;
    }

    /**
     * @param profile     the profile in use, whose required keys are checked; null for none
     * @param providedFor keys a command sets itself above every layer, so a profile does not
     *                    require them of the operator
     */
    SignalingConfig bind(String profile, Set<String> providedFor) {
        var service = new ServiceConfig(nonEmpty("service.name"), text("service.instance-id"),
                nonEmpty("service.environment"));
        var server = new ServerConfig(host("server.host"), port("server.port"),
                zeroOrPositive("server.io-threads", "0 (Undertow's default) or a positive number of threads"),
                zeroOrPositive("server.worker-threads", "0 (Undertow's default) or a positive number of threads"),
                size("server.max-request-body", Long.MAX_VALUE));
        var admin = new AdminConfig(bool("admin.enabled"), host("admin.host"), port("admin.port"));
        if (admin.enabled() && admin.port() != 0 && admin.port() == server.port()) {
            Entry serverPort = values.get("server.port");
            problem("admin.port", "must differ from server.port (" + serverPort.source()
                    + "), or be 0 for a free port, or set admin.enabled=false");
        }
        var shutdown = new ShutdownConfig(duration("shutdown.readiness-delay", true),
                duration("shutdown.drain-timeout", false), duration("shutdown.retry-after", false));
        if (shutdown.retryAfter().compareTo(Duration.ofSeconds(1)) < 0 && !shutdown.retryAfter().isZero()) {
            problem("shutdown.retry-after", "must be at least 1s: Retry-After carries whole seconds");
        }
        var health = new HealthConfig(duration("health.check-timeout", false), duration("health.cache-ttl", false));
        var logging = new LoggingConfig(enumValue("logging.format", LogFormat.class, LogFormat.JSON),
                enumValue("logging.level", LogLevel.class, LogLevel.INFO), levels(),
                positiveInt("logging.queue-size"), bool("logging.access-log"),
                paths("logging.access-log-exclude"));
        var metrics = new MetricsConfig(bool("metrics.enabled"));
        var tracing = new TracingConfig(enumValue("tracing.exporter", TracingExporter.class, TracingExporter.NONE),
                ratio("tracing.sampling-ratio"));
        var websocket = new WebSocketConfig(path("websocket.path"),
                (int) size("websocket.max-message-size", Integer.MAX_VALUE),
                duration("websocket.idle-timeout", false), duration("websocket.ping-interval", false),
                duration("websocket.send-timeout", false), positiveInt("websocket.send-queue-messages"),
                size("websocket.send-queue-bytes", Long.MAX_VALUE), positiveInt("websocket.max-connections"),
                origins("websocket.allowed-origins"));
        if (!websocket.pingInterval().isZero() && websocket.pingInterval().compareTo(websocket.idleTimeout()) >= 0
                && !websocket.idleTimeout().isZero()) {
            problem("websocket.ping-interval", "must be shorter than websocket.idle-timeout ("
                    + Values.formatDuration(websocket.idleTimeout()) + "), else quiet but healthy connections "
                    + "time out before they are pinged");
        }
        var rooms = new RoomsConfig(intAtLeast("rooms.max-peers", 2, "must be at least 2: a room is for peers to meet"));
        var rateLimit = new RateLimitConfig(positiveDecimal("rate-limit.messages-per-second"),
                positiveInt("rate-limit.burst"));
        var redis = new RedisConfig(bool("redis.enabled"), redisUri("redis.uri"), Secret.of(text("redis.password")),
                nonEmpty("redis.channel-prefix"));
        var auth = auth();
        var turn = turn();
        var config = new SignalingConfig(service, server, admin, shutdown, health, logging, metrics, tracing,
                websocket, rooms, rateLimit, redis, auth, turn);
        if (profile != null) {
            requiredByProfile(profile, providedFor);
            if (EXPLICIT_BY_PROFILE.getOrDefault(profile, Set.of()).contains("auth.mode")
                    && !providedFor.contains("auth.mode")) {
                Entry mode = values.get("auth.mode");
                if (mode == null || mode.source() instanceof ConfigSource.Defaults
                        || mode.source() instanceof ConfigSource.Profile) {
                    problem("auth.mode", "required under the " + profile + " profile: say who may connect, "
                            + "auth.mode=jwt (tokens; see docs/security.md) or auth.mode=none on purpose "
                            + "(SIGNALING_AUTH_MODE=none)");
                }
            }
        }
        return config;
    }

    /** Settings a profile requires to be set by the operator (a file, the environment or a flag), even to their default. */
    static final Map<String, Set<String>> EXPLICIT_BY_PROFILE = Map.of("prod", Set.of("auth.mode"));

    private AuthConfig auth() {
        AuthMode mode = enumValue("auth.mode", AuthMode.class, AuthMode.NONE);
        String audience = nonEmpty("auth.jwt.audience");
        List<String> issuers = list("auth.jwt.issuers");
        Duration skew = duration("auth.jwt.clock-skew", true);
        String jwksUri = text("auth.jwt.jwks-uri").strip();
        List<JwtKeyConfig> keys = jwtKeys("auth.jwt.keys");
        if (mode == AuthMode.JWT) {
            io.signaling.adapter.jwt.JwtVerifiers.Builder check = io.signaling.adapter.jwt.JwtVerifiers.builder()
                    .audience(audience.isBlank() ? "x" : audience);
            for (JwtKeyConfig key : keys) {
                if (key.isHmac()) {
                    check.hmacKey(key.kid(), key.alg(), key.secret().reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } else {
                    check.publicKeyPem(key.kid(), key.alg(), key.publicKeyPem());
                }
            }
            if (!jwksUri.isEmpty()) {
                try {
                    check.jwksUri(new URI(jwksUri));
                } catch (URISyntaxException e) {
                    problem("auth.jwt.jwks-uri", "is not a URI (" + e.getReason() + ")");
                }
            }
            for (String reason : check.problems()) {
                problem(reason.startsWith("jwks-uri") ? "auth.jwt.jwks-uri" : "auth.jwt.keys", reason.startsWith("no keys")
                        ? "auth.mode is jwt but no key is configured: add auth.jwt.keys or auth.jwt.jwks-uri" : reason);
            }
        }
        return new AuthConfig(mode, audience, issuers, skew, keys, jwksUri);
    }

    /**
     * {@code auth.jwt.keys}: a sequence of mappings, or (environment, flags) the same written as
     * YAML/JSON flow text, e.g. {@code [{kid: k1, alg: HS256, secret-file: /run/secrets/k1}]}.
     */
    private List<JwtKeyConfig> jwtKeys(String key) {
        Entry e = entry(key);
        if (e == null) {
            return List.of();
        }
        JsonNode v = e.value();
        if (v.isTextual()) {
            if (v.asText().isBlank()) {
                return List.of();
            }
            try {
                v = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                        .readTree(v.asText());
            } catch (java.io.IOException ex) {
                problem(key, "expected a list of keys, e.g. [{kid: k1, alg: HS256, secret-file: /run/secrets/k1}]");
                return List.of();
            }
        }
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            problem(key, "expected a list of keys ({kid, alg, and one of secret, secret-file, public-key-file}), not a "
                    + Layers.kind(v));
            return List.of();
        }
        List<JwtKeyConfig> keys = new ArrayList<>();
        Set<String> allowed = Set.of("kid", "alg", "secret", "secret-file", "public-key-file");
        int index = 0;
        for (JsonNode item : v) {
            String at = "entry " + (++index);
            if (!item.isObject()) {
                problem(key, at + ": expected a mapping with kid, alg and one of secret, secret-file, public-key-file");
                continue;
            }
            item.fieldNames().forEachRemaining(name -> {
                if (!allowed.contains(name)) {
                    problem(key, "entry: unknown field '" + name + "'; allowed: kid, alg, secret, secret-file,"
                            + " public-key-file");
                }
            });
            String kid = item.path("kid").asText("").strip();
            String alg = item.path("alg").asText("").strip();
            if (kid.isEmpty()) {
                problem(key, at + ": kid is required (tokens name their key by it)");
            }
            if (alg.isEmpty()) {
                problem(key, at + ": alg is required (each key pins its one algorithm)");
            }
            List<String> material = new ArrayList<>();
            for (String field : List.of("secret", "secret-file", "public-key-file")) {
                if (item.hasNonNull(field) && !item.get(field).asText().isEmpty()) {
                    material.add(field);
                }
            }
            if (material.size() != 1) {
                problem(key, at + " (kid '" + kid + "'): needs exactly one of secret, secret-file, public-key-file");
                continue;
            }
            String field = material.get(0);
            String value = item.get(field).asText();
            try {
                switch (field) {
                    case "secret" -> keys.add(new JwtKeyConfig(kid, alg, Secret.of(value), "secret", ""));
                    case "secret-file" -> keys.add(new JwtKeyConfig(kid, alg,
                            Secret.of(java.nio.file.Files.readString(java.nio.file.Path.of(value)).strip()), value, ""));
                    default -> keys.add(new JwtKeyConfig(kid, alg, Secret.empty(), value,
                            java.nio.file.Files.readString(java.nio.file.Path.of(value))));
                }
            } catch (java.io.IOException | RuntimeException ex) {
                problem(key, at + " (kid '" + kid + "'): cannot read " + field + " " + value + " ("
                        + ex.getClass().getSimpleName() + ")");
            }
        }
        return keys;
    }

    private TurnConfig turn() {
        List<String> urls = list("turn.urls");
        List<String> secrets = list("turn.secrets");
        Duration ttl = duration("turn.ttl", false);
        for (String reason : io.signaling.ports.signaling.IceSettings.problems(urls, secrets, ttl)) {
            int colon = reason.indexOf(": ");
            problem(reason.substring(0, colon), reason.substring(colon + 2));
        }
        return new TurnConfig(urls, secrets.stream().map(Secret::of).toList(), ttl);
    }

    private void requiredByProfile(String profile, Set<String> providedFor) {
        REQUIRED_BY_PROFILE.getOrDefault(profile, Map.of()).forEach((key, hint) -> {
            Entry e = values.get(key);
            if (providedFor.contains(key)) {
                return;
            }
            if (e == null || isBlank(e.value())) {
                problem(key, hint);
            }
        });
    }

    private static boolean isBlank(JsonNode v) {
        if (v.isNull()) {
            return true;
        }
        if (v.isContainerNode()) {
            return v.isEmpty();
        }
        return v.asText().replace(",", "").isBlank();
    }

    // ---- conversions; each records a problem and returns a placeholder on failure

    private Entry entry(String key) {
        Entry entry = values.get(key);
        if (entry == null) {
            problems.add(new ConfigProblem(key, "(none)", new ConfigSource.Defaults(),
                    "missing: no source sets it, and default.yaml must"));
        }
        return entry;
    }

    private String text(String key) {
        Entry e = entry(key);
        if (e == null) {
            return "";
        }
        JsonNode v = e.value();
        if (v.isNull()) {
            return "";
        }
        if (v.isContainerNode()) {
            problem(key, "expected a single value, not a " + Layers.kind(v));
            return "";
        }
        return v.asText();
    }

    private String nonEmpty(String key) {
        String s = text(key).strip();
        if (s.isEmpty() && values.containsKey(key)) {
            problem(key, "must not be empty");
        }
        return s;
    }

    private String host(String key) {
        String s = text(key).strip();
        if (values.containsKey(key)) {
            try {
                Values.checkHost(s);
            } catch (IllegalArgumentException e) {
                problem(key, e.getMessage());
            }
        }
        // [::1] is how URLs write IPv6; socket APIs want the bare literal.
        return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    private int port(String key) {
        return intAtLeast(key, 0, 65535, "must be between 0 and 65535 (0 picks a free port)");
    }

    private int positiveInt(String key) {
        return intAtLeast(key, 1, "must be positive");
    }

    private int zeroOrPositive(String key, String what) {
        return intAtLeast(key, 0, "must be " + what);
    }

    private int intAtLeast(String key, int min, String reason) {
        return intAtLeast(key, min, Integer.MAX_VALUE, reason);
    }

    private int intAtLeast(String key, int min, int max, String reason) {
        Long n = wholeNumber(key);
        if (n == null) {
            return min;
        }
        if (n < min || n > max) {
            problem(key, reason);
            return min;
        }
        return n.intValue();
    }

    private Long wholeNumber(String key) {
        Entry e = entry(key);
        if (e == null) {
            return null;
        }
        JsonNode v = e.value();
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().strip());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problem(key, "expected a whole number, not a " + describeType(v));
        return null;
    }

    private double positiveDecimal(String key) {
        Double d = decimal(key);
        if (d == null) {
            return 1;
        }
        if (!(d > 0) || d.isInfinite()) {
            problem(key, "must be a positive number");
            return 1;
        }
        return d;
    }

    private double ratio(String key) {
        Double d = decimal(key);
        if (d == null) {
            return 0;
        }
        if (!(d >= 0 && d <= 1)) {
            problem(key, "must be between 0.0 and 1.0 (the fraction of traces kept)");
            return 0;
        }
        return d;
    }

    private Double decimal(String key) {
        Entry e = entry(key);
        if (e == null) {
            return null;
        }
        JsonNode v = e.value();
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            try {
                double d = Double.parseDouble(v.asText().strip());
                if (!Double.isNaN(d)) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problem(key, "expected a number, not a " + describeType(v));
        return null;
    }

    private boolean bool(String key) {
        Entry e = entry(key);
        if (e == null) {
            return false;
        }
        JsonNode v = e.value();
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            String s = v.asText().strip().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
        }
        problem(key, "expected true or false");
        return false;
    }

    private Duration duration(String key, boolean zeroAllowed) {
        Entry e = entry(key);
        if (e == null) {
            return Duration.ZERO;
        }
        JsonNode v = e.value();
        Duration d;
        if (v.isTextual()) {
            try {
                d = Values.parseDuration(v.asText());
            } catch (IllegalArgumentException ex) {
                problem(key, ex.getMessage());
                return Duration.ZERO;
            }
        } else if (v.isIntegralNumber() && v.asLong() == 0) {
            d = Duration.ZERO;
        } else if (v.isNumber()) {
            problem(key, "a duration needs a unit, e.g. " + v.asText() + "s; " + Values.DURATION_FORMS);
            return Duration.ZERO;
        } else {
            problem(key, "expected a duration, not a " + describeType(v) + "; " + Values.DURATION_FORMS);
            return Duration.ZERO;
        }
        if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
            problem(key, zeroAllowed ? "must not be negative" : "must be positive");
            return Duration.ZERO;
        }
        return d;
    }

    private long size(String key, long max) {
        Entry e = entry(key);
        if (e == null) {
            return 1;
        }
        JsonNode v = e.value();
        long bytes;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            bytes = v.longValue();
        } else if (v.isTextual()) {
            try {
                bytes = Values.parseSize(v.asText());
            } catch (IllegalArgumentException ex) {
                problem(key, ex.getMessage());
                return 1;
            }
        } else {
            problem(key, "expected a size, not a " + describeType(v) + "; " + Values.SIZE_FORMS);
            return 1;
        }
        if (bytes <= 0) {
            problem(key, "must be positive");
            return 1;
        }
        if (bytes > max) {
            problem(key, "must be at most " + max + " bytes (" + Values.formatSize(max) + ")");
            return 1;
        }
        return bytes;
    }

    private <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        String s = text(key).strip();
        if (!values.containsKey(key)) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(key, "must be one of " + allowed(type));
            return fallback;
        }
    }

    private static String allowed(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    private Map<String, LogLevel> levels() {
        Map<String, LogLevel> out = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : values.entrySet()) {
            if (!Schema.isLevelEntry(e.getKey())) {
                continue;
            }
            String logger = e.getKey().substring(Schema.LEVELS_PREFIX.length());
            JsonNode v = e.getValue().value();
            try {
                out.put(logger, LogLevel.valueOf(v.asText().strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ex) {
                problem(e.getKey(), "must be one of " + allowed(LogLevel.class));
            }
        }
        return out;
    }

    private List<String> list(String key) {
        Entry e = entry(key);
        if (e == null) {
            return List.of();
        }
        JsonNode v = e.value();
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode item : v) {
                if (item.isContainerNode() || item.isNull()) {
                    problem(key, "every item must be a single value, not a " + Layers.kind(item));
                    return List.of();
                }
                out.add(item.asText().strip());
            }
        } else if (v.isTextual()) {
            for (String item : v.asText().split(",")) {
                if (!item.isBlank()) {
                    out.add(item.strip());
                }
            }
        } else if (!v.isNull()) {
            problem(key, "expected a list (a YAML sequence or a comma-separated string), not a " + Layers.kind(v));
        }
        return out;
    }

    private List<String> paths(String key) {
        List<String> paths = list(key);
        for (String p : paths) {
            if (!p.startsWith("/")) {
                problem(key, "every path must start with '/', '" + p + "' does not");
            }
        }
        return paths;
    }

    private String path(String key) {
        String p = text(key).strip();
        if (values.containsKey(key) && (!p.startsWith("/") || p.contains("{") || p.contains("?"))) {
            problem(key, "must be an absolute path such as /ws, without templates or a query");
        }
        return p;
    }

    private List<String> origins(String key) {
        List<String> origins = list(key);
        for (String origin : origins) {
            String reason = originProblem(origin);
            if (reason != null) {
                problem(key, "'" + origin + "' " + reason);
            }
        }
        return origins;
    }

    /** Browsers send {@code Origin: scheme://host[:port]}; anything more can never match. */
    private static String originProblem(String origin) {
        try {
            URI uri = new URI(origin);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "is not an origin; write scheme://host[:port], e.g. https://app.example.com";
            }
            if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return "must be scheme://host[:port] only, without path, query or user";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not an origin (" + e.getReason() + "); write scheme://host[:port]";
        }
    }

    private String redisUri(String key) {
        String s = text(key).strip();
        if (!values.containsKey(key)) {
            return s;
        }
        try {
            URI uri = new URI(s);
            if (!Set.of("redis", "rediss").contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                problem(key, "must be redis://host[:port][/db] or rediss://host[:port][/db]");
            } else if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
                problem(key, "must not carry a password; set redis.password (it is masked in output)");
            }
        } catch (URISyntaxException e) {
            problem(key, "is not a URI (" + e.getReason() + ")");
        }
        return s;
    }

    // ---- reporting

    private void problem(String key, String reason) {
        Entry e = values.get(key);
        if (e == null) {
            problems.add(new ConfigProblem(key, "(none)", new ConfigSource.Defaults(), reason));
        } else {
            problems.add(new ConfigProblem(key, display(key, e.value()), e.source(), reason));
        }
    }

    private static String describeType(JsonNode v) {
        return v.isTextual() ? "string" : Layers.kind(v);
    }

    /** A value as the operator wrote it; secrets masked, and redis.uri's userinfo too. */
    static String display(String key, JsonNode value) {
        if (Schema.isSecret(key)) {
            return Secret.MASK;
        }
        if (key.equals("auth.jwt.keys")) {
            // Only the secrets are secret; kids, algorithms and file paths help the operator.
            String text = value == null ? "null" : value.toString();
            return text.replaceAll("(\"?secret\"?\\s*[:=]\\s*)(\"[^\"]*\"|[^,}\\]\\s]+)", "$1\"" + Secret.MASK + "\"");
        }
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            String s = value.asText();
            if (key.equals("redis.uri")) {
                s = s.replaceAll("//[^@/]*@", "//" + Secret.MASK + "@");
            }
            return s.isEmpty() ? "\"\"" : s;
        }
        return value.toString();
    }
}
