package io.signaling.app.config;

/** A logging threshold, as accepted by {@code logging.level} and {@code logging.levels}. */
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF
}
