package io.signaling.ports.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * <p>Tests that need read-back are skipped (with a visible reason) for loggers that record
 * nothing, such as {@link Logger#noop()}; every logger must pass the rest.
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

    /** Whether this logger records at all; {@code false} skips the read-back tests. */
    protected boolean records() {
        return true;
    }

    private Logger debugLogger() {
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
    void thresholdIsHonoured() {
        assumeTrue(records(), "this logger records nothing");
        Logger logger = logger("contract.threshold", Level.INFO);
        assertThat(logger.isEnabled(Level.DEBUG)).isFalse();
        assertThat(logger.isDebugEnabled()).isFalse();
        assertThat(logger.isEnabled(Level.INFO)).isTrue();
        assertThat(logger.isInfoEnabled()).isTrue();
        assertThat(logger.isEnabled(Level.ERROR)).isTrue();

        logger.debug("hidden", "k", "v");
        logger.debug("hidden", new RuntimeException(), "k", "v");
        logger.info("shown");
        assertThat(loggedEvents()).extracting(LoggedEvent::message).containsExactly("shown");
    }

    @Test
    void messageErrorAndKeyValuesArriveInOrder() {
        assumeTrue(records(), "this logger records nothing");
        IllegalStateException boom = new IllegalStateException("boom");
        debugLogger().error("peer left", boom, "peer_id", "p-1", "room", "r-9", "attempt", 3);

        assertThat(loggedEvents()).hasSize(1);
        LoggedEvent event = loggedEvents().get(0);
        assertThat(event.level()).isEqualTo(Level.ERROR);
        assertThat(event.message()).isEqualTo("peer left");
        assertThat(event.error()).isSameAs(boom);
        assertThat(event.keys()).containsExactly("peer_id", "room", "attempt");
        assertThat(event.keyValueMap()).containsEntry("peer_id", "p-1").containsEntry("attempt", 3);
    }

    @Test
    void everyLevelAndOverloadWritesItsPairs() {
        assumeTrue(records(), "this logger records nothing");
        Logger logger = debugLogger();
        logger.debug("d1", "a", 1);
        logger.debug("d2", "a", 1, "b", 2);
        logger.info("i1", "a", 1);
        logger.info("i2", "a", 1, "b", 2);
        logger.info("i3", "a", 1, "b", 2, "c", 3);
        logger.warn("w1", "a", 1);
        logger.error("e1", "a", 1);

        assertThat(loggedEvents()).extracting(LoggedEvent::message)
                .containsExactly("d1", "d2", "i1", "i2", "i3", "w1", "e1");
        assertThat(loggedEvents()).extracting(LoggedEvent::level).containsExactly(
                Level.DEBUG, Level.DEBUG, Level.INFO, Level.INFO, Level.INFO, Level.WARN, Level.ERROR);
        assertThat(loggedEvents().get(4).keys()).containsExactly("a", "b", "c");
    }

    @Test
    void oddCountAndNonStringKeysFollowKeyValues() {
        assumeTrue(records(), "this logger records nothing");
        debugLogger().info("lenient", 42, "answer", "dangling-key");

        LoggedEvent event = loggedEvents().get(0);
        assertThat(event.keys()).containsExactly("42", KeyValues.DANGLING_KEY);
        assertThat(event.keyValueMap())
                .containsEntry("42", "answer")
                .containsEntry(KeyValues.DANGLING_KEY, "dangling-key");
    }

    @Test
    void withCarriesItsPairsBeforeTheEventsOwn() {
        assumeTrue(records(), "this logger records nothing");
        Logger root = debugLogger();
        Logger room = root.with("room", "r-1");
        Logger peer = room.with("peer_id", "p-7");

        peer.info("joined", "attempt", 1);
        room.warn("full");
        root.info("plain");

        assertThat(loggedEvents()).hasSize(3);
        assertThat(loggedEvents().get(0).keys()).containsExactly("room", "peer_id", "attempt");
        assertThat(loggedEvents().get(0).keyValueMap()).containsEntry("room", "r-1").containsEntry("peer_id", "p-7");
        assertThat(loggedEvents().get(1).keys()).containsExactly("room");
        assertThat(loggedEvents().get(2).keyValues()).isEmpty();
    }

    @Test
    void withCopiesTheCallersArray() {
        assumeTrue(records(), "this logger records nothing");
        Object[] pairs = {"room", "r-1"};
        Logger child = debugLogger().with(pairs);
        pairs[1] = "changed";
        child.info("after change");
        assertThat(loggedEvents().get(0).keyValueMap()).containsEntry("room", "r-1");
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
