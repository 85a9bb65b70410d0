package io.signaling.app.telemetry;

import ch.qos.logback.classic.Level;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the process logs: line format, levels, and the size of the asynchronous hand-off queue.
 * Immutable; validated on construction so a typo in a level fails at start-up, not silently.
 *
 * @param format            {@link Format#JSON} (one JSON object per line, the default) or
 *                          {@link Format#TEXT} (a readable console line)
 * @param rootLevel         level of the root logger: TRACE, DEBUG, INFO, WARN, ERROR or OFF
 *                          (case-insensitive)
 * @param levels            per-logger levels, logger name (a package or class) to level name;
 *                          the key {@code root} is the same as {@code rootLevel}
 * @param queueSize         capacity of the async appender's queue, in events; at least 1
 * @param includeCallerData whether to capture the caller's class/method/line; costly (a stack
 *                          walk per event), off by default
 */
public record LoggingSettings(
        Format format,
        String rootLevel,
        Map<String, String> levels,
        int queueSize,
        boolean includeCallerData) {

    /** Default queue capacity: enough to ride out a burst without holding much memory. */
    public static final int DEFAULT_QUEUE_SIZE = 8192;

    /** Upper bound on the queue, so a misconfiguration cannot pre-allocate gigabytes. */
    public static final int MAX_QUEUE_SIZE = 1 << 20;

    /** Output line format. */
    public enum Format {
        /** One JSON object per line: machine-readable, the default. */
        JSON,
        /** A human-readable console line. */
        TEXT;

        /**
         * Parses {@code json} or {@code text}, case-insensitively.
         *
         * @throws IllegalArgumentException naming the accepted values otherwise
         */
        public static Format parse(String value) {
            Objects.requireNonNull(value, "value");
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "json":
                    return JSON;
                case "text":
                    return TEXT;
                default:
                    throw new IllegalArgumentException(
                            "logging format: unknown value '" + value + "' (expected json or text)");
            }
        }
    }

    public LoggingSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(rootLevel, "rootLevel");
        Objects.requireNonNull(levels, "levels");
        requireLevel("root", rootLevel);
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : levels.entrySet()) {
            String logger = e.getKey();
            if (logger == null || logger.isBlank()) {
                throw new IllegalArgumentException("logging levels: logger name must not be blank");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("logging levels: no level given for logger '" + logger + "'");
            }
            requireLevel(logger, e.getValue());
            copy.put(logger.trim(), e.getValue().trim());
        }
        levels = Collections.unmodifiableMap(copy);
        rootLevel = rootLevel.trim();
        if (queueSize < 1 || queueSize > MAX_QUEUE_SIZE) {
            throw new IllegalArgumentException(
                    "logging queue size: " + queueSize + " is out of range [1, " + MAX_QUEUE_SIZE + "]");
        }
    }

    /** JSON lines at INFO, no per-logger levels, {@value #DEFAULT_QUEUE_SIZE} queued events, no caller data. */
    public static LoggingSettings defaults() {
        return new LoggingSettings(Format.JSON, "INFO", Map.of(), DEFAULT_QUEUE_SIZE, false);
    }

    static Level parseLevel(String value) {
        // toLevel falls back to DEBUG on unknown names; a sentinel tells us it did not match.
        Level level = Level.toLevel(value.trim(), null);
        if (level == null || level.toInt() == Level.ALL_INT) {
            return null;
        }
        return level;
    }

    private static void requireLevel(String logger, String value) {
        if (parseLevel(value) == null) {
            throw new IllegalArgumentException("logging level for '" + logger + "': unknown level '" + value
                    + "' (expected TRACE, DEBUG, INFO, WARN, ERROR or OFF)");
        }
    }
}
