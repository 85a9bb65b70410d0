package io.signaling.app.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Logging.
 *
 * @param format           {@code logging.format}
 * @param level            {@code logging.level}: the root threshold
 * @param levels           {@code logging.levels}: per-logger thresholds, sorted by logger name
 * @param queueSize        {@code logging.queue-size}: the asynchronous appender's bound
 * @param accessLog        {@code logging.access-log}
 * @param accessLogExclude {@code logging.access-log-exclude}: paths never access-logged
 */
public record LoggingConfig(
        LogFormat format,
        LogLevel level,
        Map<String, LogLevel> levels,
        int queueSize,
        boolean accessLog,
        List<String> accessLogExclude) {

    public LoggingConfig {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(level, "level");
        levels = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(levels, "levels")));
        accessLogExclude = List.copyOf(accessLogExclude);
    }
}
