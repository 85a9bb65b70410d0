package io.signaling.app.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One setting, as {@link Keys} declares it: name, type (with its bounds), default, one line of
 * doc, and the profiles that require it to be set. Everything else about a setting is derived
 * from this: its environment variable, how it is parsed and checked, how {@code check} shows it,
 * its line in {@code default.yaml} and its row in the README. Immutable.
 *
 * @param <T> the typed value, as held by the section record's component {@link #field()}
 */
final class Key<T> {

    private final String name;
    private final Type<T> type;
    private final T defaultValue;
    private final String doc;
    private final String field;
    private final Map<String, String> requiredUnder;

    Key(String name, Type<T> type, T defaultValue, String doc, String field, Map<String, String> requiredUnder) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.field = Objects.requireNonNull(field, "field");
        this.requiredUnder = Map.copyOf(requiredUnder);
        if (name.indexOf('.') < 1) {
            throw new IllegalArgumentException("a key is section.name: " + name);
        }
    }

    /** {@code rate-limit.messages-per-second}. */
    String name() {
        return name;
    }

    /** {@code rate-limit}. */
    String section() {
        return name.substring(0, name.indexOf('.'));
    }

    Type<T> type() {
        return type;
    }

    T defaultValue() {
        return defaultValue;
    }

    String doc() {
        return doc;
    }

    /** The section record's component that holds the value, e.g. {@code messagesPerSecond}. */
    String field() {
        return field;
    }

    /** Profile name to the hint shown when the key is left empty under it. */
    Map<String, String> requiredUnder() {
        return requiredUnder;
    }

    boolean isSecret() {
        return type.isSecret();
    }

    /** {@code rate-limit.messages-per-second} → {@code SIGNALING_RATELIMIT_MESSAGESPERSECOND} (Spring Boot's rule). */
    String envName() {
        return Schema.ENV_PREFIX + name.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code messages-per-second} → {@code messagesPerSecond}. */
    static String camel(String kebab) {
        StringBuilder out = new StringBuilder(kebab.length());
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
