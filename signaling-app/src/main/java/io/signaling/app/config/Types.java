package io.signaling.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kinds of setting and their bounds. File values keep their YAML type; env and flag values
 * arrive as text, so every type also accepts its text form. The reasons are the operator-facing
 * half of a problem line ({@code server.port = 70000 (env ...): <reason>}).
 */
final class Types {

    private Types() {
    }

    /** Any single value, as written (not stripped); {@code null} reads as empty. */
    static final Type<String> TEXT = new Scalar<>(String.class, TextNode::valueOf) {
        @Override
        String convert(String text, Consumer<String> problems) {
            return text;
        }
    };

    /** Text with surrounding blanks removed, which must not be empty. */
    static final Type<String> NON_EMPTY = text(s -> s.isEmpty() ? "must not be empty" : null);

    /** What prefixes every Redis key: no braces, which would break the keys' hash tags. */
    static final Type<String> KEY_PREFIX = text(s -> s.matches("[A-Za-z0-9_.:-]{1,64}") ? null
            : "must be 1-64 characters of [A-Za-z0-9_.:-] (no braces: they would break the keys' hash tags)");

    /** An IP literal or an RFC 1123 host name, never resolved; {@code [::1]} reads as {@code ::1}. */
    static final Type<String> HOST = new Scalar<>(String.class, TextNode::valueOf) {
        @Override
        String convert(String text, Consumer<String> problems) {
            String s = text.strip();
            try {
                Values.checkHost(s);
            } catch (IllegalArgumentException e) {
                problems.accept(e.getMessage());
                return null;
            }
            // [::1] is how URLs write IPv6; socket APIs want the bare literal.
            return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        }
    };

    static final Type<Integer> PORT = integer(0, 65535, "must be between 0 and 65535 (0 picks a free port)");

    static final Type<Integer> POSITIVE_INT = integer(1, Integer.MAX_VALUE, "must be positive");

    /** 0 (the library's default) or a positive number of threads. */
    static final Type<Integer> THREADS = integer(0, Integer.MAX_VALUE,
            "must be 0 (Undertow's default) or a positive number of threads");

    static final Type<Boolean> BOOLEAN = new Type<>() {
        @Override
        public Class<?> javaType() {
            return Boolean.class;
        }

        @Override
        public Boolean parse(JsonNode v, Consumer<String> problems) {
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isTextual()) {
                String s = v.asText().strip().toLowerCase(Locale.ROOT);
                if (s.equals("true") || s.equals("false")) {
                    return Boolean.parseBoolean(s);
                }
            }
            problems.accept("expected true or false");
            return null;
        }

        @Override
        public JsonNode render(Boolean value) {
            return BooleanNode.valueOf(value);
        }
    };

    static final Type<Double> POSITIVE_DECIMAL = decimal(d -> d > 0 && !d.isInfinite(), "must be a positive number");

    static final Type<Double> RATIO = decimal(d -> d >= 0 && d <= 1,
            "must be between 0.0 and 1.0 (the fraction of traces kept)");

    /** A positive duration. */
    static final Type<Duration> DURATION = duration(false, Duration.ZERO, null);

    /** A duration that may be {@code 0s}. */
    static final Type<Duration> DURATION_OR_ZERO = duration(true, Duration.ZERO, null);

    /** A positive size in bytes, up to {@link Long#MAX_VALUE}. */
    static final Type<Long> SIZE = new SizeType<>(Long.class, Long.MAX_VALUE, n -> n);

    /** A positive size in bytes that fits an {@code int}. */
    static final Type<Integer> INT_SIZE = new SizeType<>(Integer.class, Integer.MAX_VALUE, Long::intValue);

    /** An absolute path such as {@code /ws}. */
    static final Type<String> PATH = text(p -> !p.startsWith("/") || p.contains("{") || p.contains("?")
            ? "must be an absolute path such as /ws, without templates or a query" : null);

    /** Paths, each starting with {@code /}. */
    static final Type<List<String>> PATHS = list(p -> p.startsWith("/") ? null
            : "every path must start with '/', '" + p + "' does not");

    /** Browser origins: {@code Origin: scheme://host[:port]}; anything more can never match. */
    static final Type<List<String>> ORIGINS = list(origin -> {
        String reason = originProblem(origin);
        return reason == null ? null : "'" + origin + "' " + reason;
    });

    /** IP addresses or CIDR ranges as literals ({@code 10.0.0.0/8}, {@code ::1}); names would need a lookup. */
    static final Type<List<String>> ADDRESS_RANGES = list(range -> {
        String address = range.contains("/") ? range.substring(0, range.indexOf('/')) : range;
        String prefix = range.contains("/") ? range.substring(range.indexOf('/') + 1) : null;
        boolean v4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
        int bits = v4 ? 32 : 128;
        boolean prefixOk = prefix == null || (prefix.matches("\\d{1,3}") && Integer.parseInt(prefix) <= bits);
        return (v4 || v6) && prefixOk ? null
                : "'" + range + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 192.0.2.7, ::1)";
    });

    /** {@code redis://} or {@code rediss://} without a password; a user part is masked in output. */
    static final Type<String> REDIS_URI = new Scalar<>(String.class, TextNode::valueOf) {
        @Override
        String convert(String text, Consumer<String> problems) {
            String s = text.strip();
            if (s.toLowerCase(Locale.ROOT).startsWith("redis-sentinel://")) {
                // redis-sentinel://host[:port][,host[:port]...][/db]#master: the host list is no URI authority.
                String rest = s.substring("redis-sentinel://".length());
                int hash = rest.indexOf('#');
                String hosts = hash < 0 ? rest : rest.substring(0, hash);
                if (hash < 0 || hash == rest.length() - 1) {
                    problems.accept("a Sentinel URI names its master after '#': redis-sentinel://host:26379[,host:26379]#mymaster");
                    return null;
                }
                if (hosts.contains("@") && hosts.substring(0, hosts.indexOf('@')).contains(":")) {
                    problems.accept("must not carry a password; set redis.password (it is masked in output)");
                    return null;
                }
                if (hosts.replaceAll("/.*", "").isBlank()) {
                    problems.accept("a Sentinel URI lists at least one host: redis-sentinel://host:26379#mymaster");
                    return null;
                }
                return s;
            }
            // Several comma-separated URIs are a Redis Cluster's seed list; each is checked alone.
            for (String part : s.split(",", -1)) {
                try {
                    URI uri = new URI(part.strip());
                    if (!Set.of("redis", "rediss").contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
                            || uri.getHost() == null) {
                        problems.accept("must be redis://host[:port][/db] or rediss://host[:port][/db], "
                                + "redis-sentinel://host[:port][,host[:port]]#master, or a cluster seed list "
                                + "redis://host:port,redis://host:port");
                        return null;
                    }
                    if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
                        problems.accept("must not carry a password; set redis.password (it is masked in output)");
                        return null;
                    }
                } catch (URISyntaxException e) {
                    problems.accept("is not a URI (" + e.getReason() + ")");
                    return null;
                }
            }
            return s;
        }

        @Override
        public JsonNode render(String value) {
            return TextNode.valueOf(display(value));
        }

        @Override
        public String display(String text) {
            return text.replaceAll("//[^@/]*@", "//" + Secret.MASK + "@");
        }
    };

    /** A credential: read as text, shown as {@link Secret#MASK}, or empty when unset. */
    static final Type<Secret> SECRET = new Scalar<>(Secret.class,
            s -> TextNode.valueOf(s.isEmpty() ? "" : Secret.MASK)) {
        @Override
        Secret convert(String text, Consumer<String> problems) {
            return Secret.of(text);
        }

        @Override
        public String display(String text) {
            return Secret.MASK;
        }

        @Override
        public boolean isSecret() {
            return true;
        }
    };

    /** Logger name to level; each logger is a key of its own ({@code logging.levels.io.undertow}). */
    static final MapType<LogLevel> LEVELS = new MapType<>(enumOf(LogLevel.class, true));

    /** Credentials in a list ({@code turn.secrets}): read like a list, every item shown as {@link Secret#MASK}. */
    static final Type<List<Secret>> SECRET_LIST = new Type<>() {
        private final Type<List<String>> texts = list(item -> item.isEmpty() ? "a secret must not be empty" : null);

        @Override
        public Class<?> javaType() {
            return List.class;
        }

        @Override
        public List<Secret> parse(JsonNode raw, Consumer<String> problems) {
            List<String> values = texts.parse(raw, problems);
            return values == null ? null : values.stream().map(Secret::of).toList();
        }

        @Override
        public JsonNode render(List<Secret> value) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            value.forEach(secret -> array.add(Secret.MASK));
            return array;
        }

        @Override
        public String display(String text) {
            return Secret.MASK;
        }

        @Override
        public boolean isList() {
            return true;
        }

        @Override
        public boolean isSecret() {
            return true;
        }
    };

    /** {@code turn.urls}: STUN and TURN URLs. */
    static final Type<List<String>> ICE_URLS = list(url -> {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return lower.matches("(stun|stuns|turn|turns):[^\\s\"]{3,}") ? null
                : "'" + url + "' must be a stun:, stuns:, turn: or turns: URL (host[:port][?transport=udp|tcp])";
    });

    /** {@code auth.jwt.keys}: see {@link JwtKeysType}. */
    static final Type<List<JwtKeyConfig>> JWT_KEYS = new JwtKeysType();

    // ---- factories

    /** Stripped text that {@code rule} accepts (it returns null) or rejects with a reason. */
    static Type<String> text(Function<String, String> rule) {
        return new Scalar<>(String.class, TextNode::valueOf) {
            @Override
            String convert(String text, Consumer<String> problems) {
                String s = text.strip();
                String reason = rule.apply(s);
                if (reason != null) {
                    problems.accept(reason);
                    return null;
                }
                return s;
            }
        };
    }

    /** A whole number in {@code [min, max]}; outside it, {@code reason}. */
    static Type<Integer> integer(int min, int max, String reason) {
        return new Type<>() {
            @Override
            public Class<?> javaType() {
                return Integer.class;
            }

            @Override
            public Integer parse(JsonNode v, Consumer<String> problems) {
                Long n = null;
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    n = v.longValue();
                } else if (v.isTextual()) {
                    try {
                        n = Long.parseLong(v.asText().strip());
                    } catch (NumberFormatException ignored) {
                        // reported below
                    }
                }
                if (n == null) {
                    problems.accept("expected a whole number, not a " + describe(v));
                    return null;
                }
                if (n < min || n > max) {
                    problems.accept(reason);
                    return null;
                }
                return n.intValue();
            }

            @Override
            public JsonNode render(Integer value) {
                return IntNode.valueOf(value);
            }
        };
    }

    /** A number {@code valid} accepts; otherwise {@code reason}. */
    static Type<Double> decimal(java.util.function.Predicate<Double> valid, String reason) {
        return new Type<>() {
            @Override
            public Class<?> javaType() {
                return Double.class;
            }

            @Override
            public Double parse(JsonNode v, Consumer<String> problems) {
                Double d = null;
                if (v.isNumber()) {
                    d = v.doubleValue();
                } else if (v.isTextual()) {
                    try {
                        double parsed = Double.parseDouble(v.asText().strip());
                        d = Double.isNaN(parsed) ? null : parsed;
                    } catch (NumberFormatException ignored) {
                        // reported below
                    }
                }
                if (d == null) {
                    problems.accept("expected a number, not a " + describe(v));
                    return null;
                }
                if (!valid.test(d)) {
                    problems.accept(reason);
                    return null;
                }
                return d;
            }

            @Override
            public JsonNode render(Double value) {
                return DoubleNode.valueOf(value);
            }
        };
    }

    /**
     * A duration; zero only when {@code zeroAllowed}; at least {@code min} (unless zero) with
     * {@code minReason}.
     */
    static Type<Duration> duration(boolean zeroAllowed, Duration min, String minReason) {
        return new Type<>() {
            @Override
            public Class<?> javaType() {
                return Duration.class;
            }

            @Override
            public Duration parse(JsonNode v, Consumer<String> problems) {
                Duration d;
                if (v.isTextual()) {
                    try {
                        d = Values.parseDuration(v.asText());
                    } catch (IllegalArgumentException ex) {
                        problems.accept(ex.getMessage());
                        return null;
                    }
                } else if (v.isIntegralNumber() && v.asLong() == 0) {
                    d = Duration.ZERO;
                } else if (v.isNumber()) {
                    problems.accept("a duration needs a unit, e.g. " + v.asText() + "s; " + Values.DURATION_FORMS);
                    return null;
                } else {
                    problems.accept("expected a duration, not a " + describe(v) + "; " + Values.DURATION_FORMS);
                    return null;
                }
                if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
                    problems.accept(zeroAllowed ? "must not be negative" : "must be positive");
                    return null;
                }
                if (!d.isZero() && d.compareTo(min) < 0) {
                    problems.accept(minReason);
                    return null;
                }
                return d;
            }

            @Override
            public JsonNode render(Duration value) {
                return TextNode.valueOf(Values.formatDuration(value));
            }
        };
    }

    /** One of {@code type}'s constants, case-insensitive; written upper-case or lower-case. */
    static <E extends Enum<E>> Type<E> enumOf(Class<E> type, boolean upperCase) {
        String allowed = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        return new Scalar<>(type, e -> TextNode.valueOf(upperCase ? e.name() : e.name().toLowerCase(Locale.ROOT))) {
            @Override
            E convert(String text, Consumer<String> problems) {
                try {
                    return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.accept("must be one of " + allowed);
                    return null;
                }
            }
        };
    }

    /** A list whose every item {@code itemRule} accepts (returns null); each rejection is a problem. */
    static Type<List<String>> list(Function<String, String> itemRule) {
        return new Type<>() {
            @Override
            public Class<?> javaType() {
                return List.class;
            }

            @Override
            public List<String> parse(JsonNode v, Consumer<String> problems) {
                List<String> out = new ArrayList<>();
                if (v.isArray()) {
                    for (JsonNode item : v) {
                        if (item.isContainerNode() || item.isNull()) {
                            problems.accept("every item must be a single value, not a " + Layers.kind(item));
                            return null;
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
                    problems.accept("expected a list (a YAML sequence or a comma-separated string), not a "
                            + Layers.kind(v));
                    return null;
                }
                boolean valid = true;
                for (String item : out) {
                    String reason = itemRule.apply(item);
                    if (reason != null) {
                        problems.accept(reason);
                        valid = false;
                    }
                }
                return valid ? List.copyOf(out) : null;
            }

            @Override
            public JsonNode render(List<String> value) {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                value.forEach(array::add);
                return array;
            }

            @Override
            public boolean isList() {
                return true;
            }
        };
    }

    // ---- kinds

    /** A single value read from its text; containers are refused, YAML null reads as "". */
    abstract static class Scalar<T> implements Type<T> {
        private final Class<?> javaType;
        private final Function<T, JsonNode> render;

        Scalar(Class<?> javaType, Function<T, JsonNode> render) {
            this.javaType = javaType;
            this.render = render;
        }

        abstract T convert(String text, Consumer<String> problems);

        @Override
        public Class<?> javaType() {
            return javaType;
        }

        @Override
        public T parse(JsonNode v, Consumer<String> problems) {
            if (v.isContainerNode()) {
                problems.accept("expected a single value, not a " + Layers.kind(v));
                return null;
            }
            return convert(v.isNull() ? "" : v.asText(), problems);
        }

        @Override
        public JsonNode render(T value) {
            return render.apply(value);
        }
    }

    /** A size in bytes with an optional binary unit, positive and at most {@code max}. */
    private static final class SizeType<T> implements Type<T> {
        private final Class<?> javaType;
        private final long max;
        private final Function<Long, T> narrow;

        SizeType(Class<?> javaType, long max, Function<Long, T> narrow) {
            this.javaType = javaType;
            this.max = max;
            this.narrow = narrow;
        }

        @Override
        public Class<?> javaType() {
            return javaType;
        }

        @Override
        public T parse(JsonNode v, Consumer<String> problems) {
            long bytes;
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                bytes = v.longValue();
            } else if (v.isTextual()) {
                try {
                    bytes = Values.parseSize(v.asText());
                } catch (IllegalArgumentException ex) {
                    problems.accept(ex.getMessage());
                    return null;
                }
            } else {
                problems.accept("expected a size, not a " + describe(v) + "; " + Values.SIZE_FORMS);
                return null;
            }
            if (bytes <= 0) {
                problems.accept("must be positive");
                return null;
            }
            if (bytes > max) {
                problems.accept("must be at most " + max + " bytes (" + Values.formatSize(max) + ")");
                return null;
            }
            return narrow.apply(bytes);
        }

        @Override
        public JsonNode render(T value) {
            return TextNode.valueOf(Values.formatSize(((Number) value).longValue()));
        }
    }

    /**
     * A map from a name to a value of {@code valueType}, each entry a key of its own below the
     * map's key, so layers add entries rather than replace the map.
     */
    static final class MapType<V> implements Type<Map<String, V>> {
        final Type<V> valueType;

        MapType(Type<V> valueType) {
            this.valueType = valueType;
        }

        @Override
        public Class<?> javaType() {
            return Map.class;
        }

        /** Not used: the binder parses each entry with {@link #valueType}. */
        @Override
        public Map<String, V> parse(JsonNode raw, Consumer<String> problems) {
            Map<String, V> out = new LinkedHashMap<>();
            raw.fields().forEachRemaining(e -> out.put(e.getKey(), valueType.parse(e.getValue(), problems)));
            return out;
        }

        @Override
        public JsonNode render(Map<String, V> value) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            value.forEach((name, v) -> object.set(name, valueType.render(v)));
            return object;
        }
    }

    private static String describe(JsonNode v) {
        return v.isTextual() ? "string" : Layers.kind(v);
    }

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
}
