package io.signaling.ports.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.log.Logger.Level;
import org.junit.jupiter.api.Test;

/**
 * The read-back part of the {@link Logger} contract, for adapters that write events somewhere
 * (every real backend): what {@link #loggedEvents()} returns is exactly what was logged, with its
 * level, message, error and key/values in order. Includes every rule of {@link LoggerContract}.
 */
public abstract class RecordingLoggerContract extends LoggerContract {

    @Test
    void thresholdIsHonoured() {
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
        debugLogger().info("lenient", 42, "answer", "dangling-key");

        LoggedEvent event = loggedEvents().get(0);
        assertThat(event.keys()).containsExactly("42", KeyValues.DANGLING_KEY);
        assertThat(event.keyValueMap())
                .containsEntry("42", "answer")
                .containsEntry(KeyValues.DANGLING_KEY, "dangling-key");
    }

    @Test
    void withCarriesItsPairsBeforeTheEventsOwn() {
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
        Object[] pairs = {"room", "r-1"};
        Logger child = debugLogger().with(pairs);
        pairs[1] = "changed";
        child.info("after change");
        assertThat(loggedEvents().get(0).keyValueMap()).containsEntry("room", "r-1");
    }

}
