package io.signaling.observability;

import io.signaling.ports.log.KeyValues;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;

/** {@link LoggerFactory} over an SLF4J {@link ILoggerFactory}; one {@link Slf4jLogger} per name. */
final class Slf4jLoggerFactory implements LoggerFactory {

    private final ILoggerFactory slf4j;
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

    Slf4jLoggerFactory(ILoggerFactory slf4j) {
        this.slf4j = Objects.requireNonNull(slf4j, "slf4j");
    }

    @Override
    public Logger logger(String name) {
        Objects.requireNonNull(name, "name");
        Logger cached = loggers.get(name);
        if (cached != null) {
            return cached;
        }
        return loggers.computeIfAbsent(name, n -> new Slf4jLogger(slf4j.getLogger(n), KeyValues.NONE));
    }
}
