package io.signaling.app.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Tags added to every meter of the registry, typically {@code service} and {@code instance} so
 * series from several replicas stay apart. Immutable; tag names are checked against the
 * Prometheus label syntax on construction.
 *
 * @param commonTags tag name to value, in a stable order
 */
public record MetricsSettings(Map<String, String> commonTags) {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public MetricsSettings {
        Objects.requireNonNull(commonTags, "commonTags");
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : commonTags.entrySet()) {
            String name = e.getKey();
            if (name == null || !LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                throw new IllegalArgumentException("metrics common tag: invalid name '" + name
                        + "' (must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __)");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("metrics common tag '" + name + "': value must not be null");
            }
            copy.put(name, e.getValue());
        }
        commonTags = Collections.unmodifiableMap(copy);
    }

    /** The usual pair: {@code service} and {@code instance}. */
    public static MetricsSettings of(String service, String instance) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("service", service);
        tags.put("instance", instance);
        return new MetricsSettings(tags);
    }
}
