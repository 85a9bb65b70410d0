package io.signaling.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts the merged raw values into the typed records, key by key as {@link Keys} declares
 * them, then checks the rules between keys and the keys a profile requires, collecting every
 * problem rather than stopping at the first. An invalid key is bound to its default so the rest
 * are still checked; that placeholder never escapes, because any problem makes
 * {@link ConfigLoader} throw.
 */
final class Binder {

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
        Map<Key<?>, Object> typed = new HashMap<>();
        Set<Key<?>> invalid = new HashSet<>();
        for (Key<?> key : Keys.all()) {
            Object value = key.type() instanceof Types.MapType<?> map ? bindMap(key, map) : bindOne(key);
            if (value == null) {
                invalid.add(key);
                value = key.defaultValue();
            }
            typed.put(key, value);
        }
        Keys.Bound bound = new Keys.Bound() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get(Key<T> key) {
                if (invalid.contains(key)) {
                    throw new Keys.Rule.Skip();
                }
                return (T) typed.get(key);
            }

            @Override
            public ConfigSource source(Key<?> key) {
                Entry e = values.get(key.name());
                return e == null ? new ConfigSource.Defaults() : e.source();
            }
        };
        for (Keys.Rule rule : Keys.RULES) {
            try {
                String reason = rule.reason().apply(bound);
                if (reason != null) {
                    problem(rule.key().name(), reason);
                }
            } catch (Keys.Rule.Skip skipped) {
                // a key the rule reads is invalid and reported already
            }
        }
        if (profile != null) {
            requiredByProfile(profile, providedFor);
        }
        List<Object> sections = new ArrayList<>();
        for (Keys.Section<?> section : Keys.SECTIONS) {
            sections.add(section.construct(typed));
        }
        Class<?>[] types = new Class<?>[sections.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = sections.get(i).getClass();
        }
        return Records.construct(SignalingConfig.class, types, sections.toArray());
    }

    private Object bindOne(Key<?> key) {
        Entry e = values.get(key.name());
        if (e == null) {
            problems.add(new ConfigProblem(key.name(), "(none)", new ConfigSource.Defaults(),
                    "missing: no source sets it, and default.yaml must"));
            return null;
        }
        int before = problems.size();
        Object value = key.type().parse(e.value(), reason -> problem(key.name(), reason));
        return problems.size() == before ? value : null;
    }

    private <V> Map<String, V> bindMap(Key<?> key, Types.MapType<V> type) {
        String prefix = key.name() + ".";
        Map<String, V> out = new LinkedHashMap<>();
        int before = problems.size();
        for (Map.Entry<String, Entry> e : values.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getKey().length() > prefix.length()) {
                V v = type.valueType.parse(e.getValue().value(), reason -> problem(e.getKey(), reason));
                if (v != null) {
                    out.put(e.getKey().substring(prefix.length()), v);
                }
            }
        }
        return problems.size() == before ? out : null;
    }

    private void requiredByProfile(String profile, Set<String> providedFor) {
        for (Key<?> key : Keys.all()) {
            String hint = key.requiredUnder().get(profile);
            if (hint == null || providedFor.contains(key.name())) {
                continue;
            }
            Entry e = values.get(key.name());
            if (e == null || isBlank(e.value())) {
                problem(key.name(), hint);
            }
        }
        for (Key<?> key : Keys.EXPLICIT_UNDER.getOrDefault(profile, List.of())) {
            Entry e = values.get(key.name());
            if (!providedFor.contains(key.name()) && (e == null || e.source() instanceof ConfigSource.Defaults
                    || e.source() instanceof ConfigSource.Profile)) {
                problem(key.name(), "required under the " + profile + " profile: say who may connect, "
                        + "auth.mode=jwt (tokens; see docs/security.md) or auth.mode=none on purpose "
                        + "(SIGNALING_AUTH_MODE=none)");
            }
        }
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

    // ---- reporting

    private void problem(String key, String reason) {
        Entry e = values.get(key);
        if (e == null) {
            problems.add(new ConfigProblem(key, "(none)", new ConfigSource.Defaults(), reason));
        } else {
            problems.add(new ConfigProblem(key, display(key, e.value()), e.source(), reason));
        }
    }

    /** A value as the operator wrote it, as its key's type shows it (secrets masked). */
    static String display(String key, JsonNode value) {
        Key<?> declared = Keys.byName(key);
        if (declared != null && declared.isSecret()) {
            return Secret.MASK;
        }
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            String s = declared == null ? value.asText() : declared.type().display(value.asText());
            return s.isEmpty() ? "\"\"" : s;
        }
        // A structured value (a list of keys) goes through its type's masking too.
        return declared == null ? value.toString() : declared.type().display(value.toString());
    }
}
