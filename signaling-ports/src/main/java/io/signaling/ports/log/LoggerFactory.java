package io.signaling.ports.log;

/**
 * Gives named loggers. Direction: outbound, implemented by the logging adapter.
 * Thread-safety: safe for concurrent use; may return the same instance for the same name.
 */
@FunctionalInterface
public interface LoggerFactory {

    Logger logger(String name);

    default Logger logger(Class<?> type) {
        return logger(type.getName());
    }

    static LoggerFactory noop() {
        return NoopLogger.INSTANCE;
    }
}
