package io.signaling.ports.log;

/**
 * Structured logging: a message plus key/value pairs ({@code "peer_id", id, "room", room}).
 *
 * <p>Direction: outbound, implemented by a logging adapter (SLF4J) or {@link #noop()}.
 * Thread-safety: implementations are safe for concurrent use; a logger and the children made by
 * {@link #with} are immutable.
 *
 * <p>Key/values are lenient: an odd count logs the last key with no value under
 * {@code "_dangling"}, a non-string key is rendered with {@code String.valueOf}; neither throws.
 * A logger never throws to its caller.
 *
 * <p>Hot paths: the fixed-arity overloads allocate nothing when their level is disabled, unlike
 * the varargs form, whose array the caller allocates; guard the varargs form with
 * {@link #isEnabled(Level)} on hot paths.
 */
public interface Logger {

    enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR
    }

    boolean isEnabled(Level level);

    /**
     * Writes one event. The convenience methods all end here after their level check.
     *
     * @param error     may be {@code null}
     * @param keyValues never {@code null}; alternating keys and values
     */
    void log(Level level, String message, Throwable error, Object[] keyValues);

    /** A child logger that adds these key/values to every event it writes. */
    Logger with(Object... keyValues);

    default boolean isDebugEnabled() {
        return isEnabled(Level.DEBUG);
    }

    default boolean isInfoEnabled() {
        return isEnabled(Level.INFO);
    }

    // DEBUG

    default void debug(String message) {
        if (isEnabled(Level.DEBUG)) {
            log(Level.DEBUG, message, null, KeyValues.NONE);
        }
    }

    default void debug(String message, Object key, Object value) {
        if (isEnabled(Level.DEBUG)) {
            log(Level.DEBUG, message, null, new Object[] {key, value});
        }
    }

    default void debug(String message, Object k1, Object v1, Object k2, Object v2) {
        if (isEnabled(Level.DEBUG)) {
            log(Level.DEBUG, message, null, new Object[] {k1, v1, k2, v2});
        }
    }

    default void debug(String message, Object... keyValues) {
        if (isEnabled(Level.DEBUG)) {
            log(Level.DEBUG, message, null, KeyValues.orNone(keyValues));
        }
    }

    default void debug(String message, Throwable error, Object... keyValues) {
        if (isEnabled(Level.DEBUG)) {
            log(Level.DEBUG, message, error, KeyValues.orNone(keyValues));
        }
    }

    // INFO

    default void info(String message) {
        if (isEnabled(Level.INFO)) {
            log(Level.INFO, message, null, KeyValues.NONE);
        }
    }

    default void info(String message, Object key, Object value) {
        if (isEnabled(Level.INFO)) {
            log(Level.INFO, message, null, new Object[] {key, value});
        }
    }

    default void info(String message, Object k1, Object v1, Object k2, Object v2) {
        if (isEnabled(Level.INFO)) {
            log(Level.INFO, message, null, new Object[] {k1, v1, k2, v2});
        }
    }

    default void info(String message, Object... keyValues) {
        if (isEnabled(Level.INFO)) {
            log(Level.INFO, message, null, KeyValues.orNone(keyValues));
        }
    }

    default void info(String message, Throwable error, Object... keyValues) {
        if (isEnabled(Level.INFO)) {
            log(Level.INFO, message, error, KeyValues.orNone(keyValues));
        }
    }

    // WARN

    default void warn(String message) {
        if (isEnabled(Level.WARN)) {
            log(Level.WARN, message, null, KeyValues.NONE);
        }
    }

    default void warn(String message, Object key, Object value) {
        if (isEnabled(Level.WARN)) {
            log(Level.WARN, message, null, new Object[] {key, value});
        }
    }

    default void warn(String message, Object... keyValues) {
        if (isEnabled(Level.WARN)) {
            log(Level.WARN, message, null, KeyValues.orNone(keyValues));
        }
    }

    default void warn(String message, Throwable error, Object... keyValues) {
        if (isEnabled(Level.WARN)) {
            log(Level.WARN, message, error, KeyValues.orNone(keyValues));
        }
    }

    // ERROR

    default void error(String message) {
        if (isEnabled(Level.ERROR)) {
            log(Level.ERROR, message, null, KeyValues.NONE);
        }
    }

    default void error(String message, Object key, Object value) {
        if (isEnabled(Level.ERROR)) {
            log(Level.ERROR, message, null, new Object[] {key, value});
        }
    }

    default void error(String message, Object... keyValues) {
        if (isEnabled(Level.ERROR)) {
            log(Level.ERROR, message, null, KeyValues.orNone(keyValues));
        }
    }

    default void error(String message, Throwable error, Object... keyValues) {
        if (isEnabled(Level.ERROR)) {
            log(Level.ERROR, message, error, KeyValues.orNone(keyValues));
        }
    }

    /** A logger that drops everything, for running the core with no logging adapter. */
    static Logger noop() {
        return NoopLogger.INSTANCE;
    }
}
