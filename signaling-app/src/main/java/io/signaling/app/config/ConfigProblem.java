package io.signaling.app.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration. Its {@link #toString()} is the line an operator reads:
 * {@code server.port = 70000 (env SIGNALING_SERVER_PORT): must be between 0 and 65535}, or, for
 * a problem not tied to one key, {@code file /etc/x.yaml: invalid YAML at line 3, column 7: ...}.
 *
 * @param key    the setting in its source's spelling (a config key, an env variable, an option);
 *               {@code null} when the problem concerns a whole source
 * @param value  the offending value as written, secrets masked; {@code null} with {@code key}
 * @param source where it came from
 * @param reason why it is wrong, and what to do when that is not obvious
 */
public record ConfigProblem(String key, String value, ConfigSource source, String reason) {

    public ConfigProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        if (key != null) {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A problem with a whole source, such as a YAML syntax error. */
    public static ConfigProblem ofSource(ConfigSource source, String reason) {
        return new ConfigProblem(null, null, source, reason);
    }

    @Override
    public String toString() {
        if (key == null) {
            return source + ": " + reason;
        }
        return key + " = " + value + " (" + source + "): " + reason;
    }
}
