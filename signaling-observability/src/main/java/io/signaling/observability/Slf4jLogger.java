package io.signaling.observability;

import io.signaling.ports.log.KeyValues;
import io.signaling.ports.log.Logger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * {@link Logger} on the SLF4J 2 fluent API: key/values become SLF4J key/value pairs, so that a
 * structured encoder (logstash, Logback's JsonEncoder) renders them as fields of their own.
 */
final class Slf4jLogger implements Logger {

    private final org.slf4j.Logger delegate;
    /** Pairs added by {@link #with}, written before each event's own pairs. */
    private final Object[] context;

    Slf4jLogger(org.slf4j.Logger delegate, Object[] context) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public boolean isEnabled(Level level) {
        // Plain boolean checks only: this runs on every disabled call and must not allocate.
        try {
            return switch (level) {
                case DEBUG -> delegate.isDebugEnabled();
                case INFO -> delegate.isInfoEnabled();
                case WARN -> delegate.isWarnEnabled();
                case ERROR -> delegate.isErrorEnabled();
            };
        } catch (RuntimeException backendFailure) {
            return false;
        }
    }

    @Override
    public void log(Level level, String message, Throwable error, Object[] keyValues) {
        if (level == null || !isEnabled(level)) {
            return;
        }
        try {
            LoggingEventBuilder event = delegate.atLevel(toSlf4j(level));
            event.setMessage(message);
            if (error != null) {
                event.setCause(error);
            }
            addPairs(event, KeyValues.concat(context, keyValues));
            event.log();
        } catch (RuntimeException backendFailure) {
            // A broken appender or a value whose toString() throws must not fail the caller's work.
        }
    }

    @Override
    public Logger with(Object... keyValues) {
        if (keyValues == null || keyValues.length == 0) {
            return this;
        }
        // Copy so that a caller reusing its array cannot change this child's pairs later.
        return new Slf4jLogger(delegate, KeyValues.concat(context, keyValues.clone()));
    }

    /**
     * Adds the pairs with unique keys: a later pair (the event's own, or a nearer child's) replaces
     * an earlier one in place, because JSON encoders write each pair as a field and duplicate
     * fields make the line ambiguous or unparseable.
     */
    private static void addPairs(LoggingEventBuilder event, Object[] pairs) {
        if (!hasDuplicateKeys(pairs)) {
            KeyValues.forEach(pairs, event::addKeyValue);
            return;
        }
        Map<String, Object> unique = new LinkedHashMap<>();
        KeyValues.forEach(pairs, unique::put);
        unique.forEach(event::addKeyValue);
    }

    private static boolean hasDuplicateKeys(Object[] pairs) {
        int count = pairs.length / 2;
        for (int i = 1; i < count; i++) {
            Object key = pairs[2 * i];
            for (int j = 0; j < i; j++) {
                Object other = pairs[2 * j];
                if (key == other || String.valueOf(key).equals(String.valueOf(other))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static org.slf4j.event.Level toSlf4j(Level level) {
        return switch (level) {
            case DEBUG -> org.slf4j.event.Level.DEBUG;
            case INFO -> org.slf4j.event.Level.INFO;
            case WARN -> org.slf4j.event.Level.WARN;
            case ERROR -> org.slf4j.event.Level.ERROR;
        };
    }

    @Override
    public String toString() {
        return "Slf4jLogger[" + delegate.getName() + "]";
    }
}
