package io.signaling.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns each source into a flat layer {@code key → Entry}, reporting unknown keys and structural
 * mistakes. Flat keys make "merge as trees" a plain map overlay: a file that sets one key of a
 * section overrides only that key. {@code logging.levels} entries are flattened per logger, so
 * layers add loggers rather than replace the map; lists are replaced whole.
 */
final class Layers {

    /**
     * The layer {@code default.yaml} gives, taken from the declarations it is generated from
     * instead of parsing it: the same tree ({@link Reference#defaultYaml()} renders each default
     * with {@link EffectiveConfig#render(Key, Object)}), walked as a parsed file is.
     * {@code LayersTest} checks that it equals the parsed file entry by entry.
     */
    Map<String, Entry> fromKeys(ConfigSource source, List<ConfigProblem> problems) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Keys.Section<?> section : Keys.SECTIONS) {
            ObjectNode node = root.putObject(section.name());
            for (Key<?> key : section.keys()) {
                node.set(key.name().substring(section.name().length() + 1), renderDefault(key));
            }
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        walk(root, "", source, out, problems);
        return out;
    }

    /** As {@link EffectiveConfig#render(Key, Object)}, without initialising that class's YAMLMapper. */
    private static <T> JsonNode renderDefault(Key<T> key) {
        return key.type().render(key.defaultValue());
    }

    Map<String, Entry> fromYaml(String text, ConfigSource source, List<ConfigProblem> problems) {
        Map<String, Entry> out = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = readTree(text);
        } catch (JsonProcessingException e) {
            problems.add(ConfigProblem.ofSource(source, "invalid YAML" + where(e.getLocation()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("syntax error")));
            return out;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out; // an empty file sets nothing
        }
        if (!root.isObject()) {
            problems.add(ConfigProblem.ofSource(source,
                    "the top level must be a mapping of sections (server:, websocket:, ...), not a " + kind(root)));
            return out;
        }
        walk(root, "", source, out, problems);
        return out;
    }

    private static JsonNode readTree(String text) throws JsonProcessingException {
        return Yaml.readTree(text);
    }

    /**
     * The YAML reader, in a class of its own so that it loads (with Jackson's YAML module and
     * SnakeYAML) on the first file read: a start from the built-in defaults alone
     * ({@link #fromKeys}) parses no YAML. The streaming parser and a hand-built tree rather than
     * YAMLMapper.readTree: an ObjectMapper costs ~250 ms of class loading and introspection at
     * start-up for a few dozen keys. The factory is thread-safe.
     */
    private static final class Yaml {
        private static final YAMLFactory FACTORY = YAMLFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();

        static JsonNode readTree(String text) throws JsonProcessingException {
            try (JsonParser parser = FACTORY.createParser(text)) {
                return parser.nextToken() == null ? null : value(parser);
            } catch (JsonProcessingException e) {
                throw e;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e); // reading a String does no I/O
            }
        }
    }

    /** The value at the parser's current token, as readTree would build it. */
    private static JsonNode value(JsonParser parser) throws java.io.IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            }
            case VALUE_STRING:
                return nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return nodes.numberNode(parser.getIntValue());
                    case LONG:
                        return nodes.numberNode(parser.getLongValue());
                    default:
                        return nodes.numberNode(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(parser.getDoubleValue());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                return nodes.pojoNode(parser.getEmbeddedObject());
        }
    }

    private void walk(JsonNode mapping, String prefix, ConfigSource source, Map<String, Entry> out,
                      List<ConfigProblem> problems) {
        Iterator<Map.Entry<String, JsonNode>> fields = mapping.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (Schema.isLeaf(key)) {
                if (value.isObject()) {
                    problems.add(new ConfigProblem(key, Binder.display(key, value), source,
                            "expected a single value, not a mapping"));
                } else {
                    out.put(key, new Entry(value, source));
                }
            } else if (Schema.isMapping(key)) {
                if (value.isObject()) {
                    walk(value, key, source, out, problems);
                } else if (!value.isNull()) {
                    problems.add(new ConfigProblem(key, Binder.display(key, value), source,
                            "expected a mapping (a section of keys), not a " + kind(value)));
                }
            } else if (Schema.isLevelEntry(key)) {
                if (value.isContainerNode()) {
                    problems.add(new ConfigProblem(key, Binder.display(key, value), source,
                            "expected a level (TRACE, DEBUG, INFO, WARN, ERROR, OFF), not a " + kind(value)));
                } else {
                    out.put(key, new Entry(value, source));
                }
            } else {
                problems.add(new ConfigProblem(key, Binder.display(key, value), source,
                        unknownKey(key)));
            }
        }
    }

    /** The environment's {@code SIGNALING_*} variables, in name order so reports are stable. */
    Map<String, Entry> fromEnv(Map<String, String> env, List<ConfigProblem> problems) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
            String name = variable.getKey();
            String upper = name.toUpperCase(Locale.ROOT);
            if (!upper.startsWith(Schema.ENV_PREFIX) || upper.equals(Schema.ENV_CONFIG)
                    || upper.equals(Schema.ENV_PROFILE)) {
                continue;
            }
            String rest = upper.substring(Schema.ENV_PREFIX.length());
            ConfigSource source = new ConfigSource.Env(name);
            TextNode value = TextNode.valueOf(variable.getValue());
            if (rest.startsWith(Schema.ENV_LEVELS_PREFIX) && rest.length() > Schema.ENV_LEVELS_PREFIX.length()) {
                // Spring Boot's rule: LOGGING_LEVELS_IO_UNDERTOW names the logger io.undertow.
                String logger = rest.substring(Schema.ENV_LEVELS_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                out.put(Schema.LEVELS_PREFIX + logger, new Entry(value, source));
                continue;
            }
            Optional<String> key = Schema.keyForEnv(rest);
            if (key.isPresent()) {
                out.put(key.get(), new Entry(value, source));
            } else {
                String shown = Schema.isSecret(guessKey(upper)) ? Secret.MASK : variable.getValue();
                problems.add(new ConfigProblem(name, shown, source, unknownEnv(upper)));
            }
        }
        return out;
    }

    /** {@code --key=value} options, keys in their canonical file spelling. */
    Map<String, Entry> fromFlags(Map<String, String> flags, List<ConfigProblem> problems) {
        return fromSettings(flags, key -> new ConfigSource.Flag("--" + key), problems);
    }

    /** Settings given as key to text, like flags, each from the source {@code sourceOf} names. */
    Map<String, Entry> fromSettings(Map<String, String> settings, Function<String, ConfigSource> sourceOf,
                                    List<ConfigProblem> problems) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> flag : settings.entrySet()) {
            String key = flag.getKey();
            ConfigSource source = sourceOf.apply(key);
            TextNode value = TextNode.valueOf(flag.getValue());
            if (Schema.isLeaf(key) || Schema.isLevelEntry(key)) {
                out.put(key, new Entry(value, source));
            } else if (Schema.isMapping(key)) {
                problems.add(new ConfigProblem(key, Binder.display(key, value), source,
                        "is a section, not a setting; set one of its keys, e.g. --" + firstKeyOf(key) + "=..."));
            } else {
                problems.add(new ConfigProblem(key, Binder.display(key, value), source, unknownKey(key)));
            }
        }
        return out;
    }

    static String unknownKey(String key) {
        List<String> candidates = new ArrayList<>(Schema.KEYS);
        candidates.addAll(Schema.SECTIONS);
        Optional<String> suggestion = Suggestions.closest(key, candidates).map(s -> "`" + s + "`");
        if (suggestion.isEmpty()) {
            // "port:" at the top level: the last segment names a key in some section.
            String last = key.substring(key.lastIndexOf('.') + 1);
            List<String> sameName = Schema.KEYS.stream().filter(k -> k.endsWith("." + last)).toList();
            if (!sameName.isEmpty() && sameName.size() <= 3) {
                suggestion = Optional.of(String.join(" or ", sameName.stream().map(s -> "`" + s + "`").toList()));
            }
        }
        return suggestion.map(s -> "unknown key; did you mean " + s + "?")
                .orElse("unknown key; see the configuration reference in the README");
    }

    private static String unknownEnv(String upperName) {
        Optional<String> suggestion = Suggestions.closest(upperName, Schema.envNames());
        return suggestion
                .map(s -> "unknown variable; did you mean `" + s + "` (" + Schema.keyForEnv(
                        s.substring(Schema.ENV_PREFIX.length())).orElseThrow() + ")?")
                .orElse("unknown variable: no setting has this name (the SIGNALING_ prefix is reserved for settings)");
    }

    private static String guessKey(String upperName) {
        return Suggestions.closest(upperName, Schema.envNames())
                .flatMap(s -> Schema.keyForEnv(s.substring(Schema.ENV_PREFIX.length())))
                .orElse("");
    }

    private static String firstKeyOf(String section) {
        return Schema.KEYS.stream().filter(k -> k.startsWith(section + ".")).findFirst().orElse(section);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    static String kind(JsonNode node) {
        if (node.isObject()) {
            return "mapping";
        }
        if (node.isArray()) {
            return "list";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return "string";
    }
}
