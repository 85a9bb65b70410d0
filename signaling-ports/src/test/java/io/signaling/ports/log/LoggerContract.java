package io.signaling.ports.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.signaling.ports.log.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Logger} adapter passes. A subclass supplies a logger whose lowest
 * enabled level it controls, and reads back what was logged.
 *
 * <p>These are the rules every logger keeps, {@link Logger#noop()} included. A logger that writes
 * events somewhere also passes the read-back tests of {@link RecordingLoggerContract}, which
 * extends this kit: an implementation's test subclasses the one kit that applies, so no test is
 * generated only to be skipped.
 */
public abstract class LoggerContract {

    /** One event as the backend received it. Key/values keep their order and duplicates. */
    public record LoggedEvent(Level level, String message, Throwable error, List<Map.Entry<String, Object>> keyValues) {
        public LoggedEvent {
            keyValues = List.copyOf(keyValues);
        }

        /** The pairs as a map; a later duplicate key wins. */
        public Map<String, Object> keyValueMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            keyValues.forEach(e -> map.put(e.getKey(), e.getValue()));
            return map;
        }

        public List<String> keys() {
            List<String> keys = new ArrayList<>();
            keyValues.forEach(e -> keys.add(e.getKey()));
            return Collections.unmodifiableList(keys);
        }
    }

    /** A fresh logger named {@code name} that writes {@code threshold} and above and nothing below. */
    protected abstract Logger logger(String name, Level threshold);

    /** The events written so far by loggers from {@link #logger}, oldest first. */
    protected abstract List<LoggedEvent> loggedEvents();

    /** A logger at {@link Level#DEBUG}, the most permissive threshold. */
    protected Logger debugLogger() {
        return logger("contract", Level.DEBUG);
    }

    @Test
    void lenientKeyValuesNeverThrow() {
        Logger logger = debugLogger();
        assertThatCode(() -> {
            logger.info("odd count", "only-key");
            logger.info("non-string keys", 42, "answer", null, "null-key");
            logger.info("null array", (Object[]) null);
            logger.info("null values", "k", null);
            logger.warn("null message", (Object[]) null);
            logger.info(null);
            logger.error("with error", new IllegalStateException("boom"), "k", "v", "dangling");
            logger.log(Level.INFO, "direct", null, new Object[] {new Object(), 1, 2});
            logger.with((Object[]) null).info("child of null");
            logger.with("a").with(1, 2).info("children of odd and non-string");
        }).doesNotThrowAnyException();
    }

    @Test
    void aValueWhoseToStringThrowsDoesNotFailTheCaller() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString failed");
            }
        };
        Logger logger = debugLogger();
        assertThatCode(() -> {
            logger.info("hostile value", "k", hostile);
            logger.info("hostile key", hostile, "v");
            logger.with(hostile).info("hostile child");
        }).doesNotThrowAnyException();
    }

    @Test
    void eventsAreRecordedExactlyWhenTheirLevelIsEnabled() {
        Logger logger = logger("contract.levels", Level.WARN);
        int before = loggedEvents().size();
        logger.debug("d", "k", "v");
        logger.info("i", "k", "v");
        logger.warn("w", "k", "v");
        logger.error("e", "k", "v");

        List<Level> expected = new ArrayList<>();
        for (Level level : Level.values()) {
            if (logger.isEnabled(level)) {
                expected.add(level);
            }
        }
        List<Level> written = loggedEvents().subList(before, loggedEvents().size()).stream()
                .map(LoggedEvent::level).toList();
        assertThat(written).containsExactlyElementsOf(expected);
    }

    @Test
    void childrenKeepTheirParentsLevel() {
        Logger parent = logger("contract.child-level", Level.WARN);
        Logger child = parent.with("k", "v");
        for (Level level : Level.values()) {
            assertThat(child.isEnabled(level)).as("child enabled at %s", level).isEqualTo(parent.isEnabled(level));
        }
    }
}
