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
                keyPrefix("redis.key-prefix"), duration("redis.node-ttl", false), duration("redis.command-timeout", false),
                positiveInt("redis.inbox-max-length"), positiveInt("redis.request-queue-size"));
        if (redis.nodeTtl().compareTo(Duration.ofMillis(300)) < 0) {
            problem("redis.node-ttl", "must be at least 300ms: it is renewed every third of it");
        } else if (redis.commandTimeout().multipliedBy(3).compareTo(redis.nodeTtl()) >= 0) {
            problem("redis.command-timeout", "must be under a third of redis.node-ttl ("
                    + Values.formatDuration(redis.nodeTtl()) + "), else one slow renewal loses the lease");
        }
        var config = new SignalingConfig(service, server, admin, shutdown, health, logging, metrics, tracing,
                websocket, rooms, rateLimit, redis);
        if (profile != null) {
            requiredByProfile(profile, providedFor);
        }
        return config;
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

    private String keyPrefix(String key) {
        String s = nonEmpty(key);
        if (!s.matches("[A-Za-z0-9_.:-]{1,64}")) {
            problem(key, "must be 1-64 characters of [A-Za-z0-9_.:-] (no braces: they would break the keys' hash tags)");
        }
        return s;
    }

    private String redisUri(String key) {
        String s = text(key).strip();
        if (!values.containsKey(key)) {
            return s;
        }
        if (s.toLowerCase(Locale.ROOT).startsWith("redis-sentinel://")) {
            // redis-sentinel://host[:port][,host[:port]...][/db]#master: the host list is not a URI authority.
            String rest = s.substring("redis-sentinel://".length());
            int hash = rest.indexOf('#');
            if (hash < 0 || hash == rest.length() - 1) {
                problem(key, "a Sentinel URI names its master after '#': redis-sentinel://host:26379[,host:26379]#mymaster");
            } else if (rest.substring(0, hash).contains("@") && rest.substring(0, rest.indexOf('@')).contains(":")) {
                problem(key, "must not carry a password; set redis.password (it is masked in output)");
            } else if (rest.substring(0, hash).replaceAll("/.*", "").isBlank()) {
                problem(key, "a Sentinel URI lists at least one host: redis-sentinel://host:26379#mymaster");
            }
            return s;
        }
        // Several comma-separated URIs are a Redis Cluster's seed list; each is checked alone.
        for (String part : s.split(",", -1)) {
            try {
                URI uri = new URI(part.strip());
                if (!Set.of("redis", "rediss").contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
                        || uri.getHost() == null) {
                    problem(key, "must be redis://host[:port][/db] or rediss://host[:port][/db], "
                            + "redis-sentinel://host[:port][,host[:port]]#master, or a cluster seed list "
                            + "redis://host:port,redis://host:port");
                    return s;
                } else if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
                    problem(key, "must not carry a password; set redis.password (it is masked in output)");
                    return s;
                }
            } catch (URISyntaxException e) {
                problem(key, "is not a URI (" + e.getReason() + ")");
                return s;
            }
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
