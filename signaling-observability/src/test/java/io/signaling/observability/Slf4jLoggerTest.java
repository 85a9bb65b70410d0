package io.signaling.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.event.KeyValuePair;

class Slf4jLoggerTest {

    private final LogbackCapture logback = new LogbackCapture();
    private final LoggerFactory loggers = Observability.slf4jLoggerFactory(logback.context);

    @AfterEach
    void stopLogback() {
        logback.close();
    }

    @Test
    void keyValuesTravelAsSlf4jKeyValuePairsNotAsMessageArguments() {
        loggers.logger("kv").with("room", "r-1").info("peer {} joined", "peer_id", "p-7");

        ILoggingEvent event = logback.events().get(0);
        assertThat(event.getKeyValuePairs()).extracting(kv -> kv.key).containsExactly("room", "peer_id");
        assertThat(event.getKeyValuePairs()).extracting(kv -> kv.value).containsExactly("r-1", "p-7");
        assertThat(event.getKeyValuePairs().get(0)).isInstanceOf(KeyValuePair.class);
        assertThat(event.getArgumentArray()).as("pairs are not positional arguments").isNullOrEmpty();
        assertThat(event.getFormattedMessage()).as("a brace in the message is literal").isEqualTo("peer {} joined");
        assertThat(event.getLoggerName()).isEqualTo("kv");
    }

    @Test
    void aRepeatedKeyKeepsOneFieldWithTheNearestValue() {
        Logger room = loggers.logger("dup").with("room", "r-1", "peer_id", "parent");
        room.with("peer_id", "child").info("override", "attempt", 1, "peer_id", "event", 42, "x", "42", "y");

        ILoggingEvent event = logback.events().get(0);
        assertThat(event.getKeyValuePairs()).extracting(kv -> kv.key).containsExactly("room", "peer_id", "attempt", "42");
        assertThat(event.getKeyValuePairs()).extracting(kv -> kv.value).containsExactly("r-1", "event", 1, "y");
    }

    @Test
    void valuesKeepTheirTypesForStructuredEncoders() {
        loggers.logger("types").info("typed", "count", 3, "ok", true, "ratio", 0.5);
        assertThat(logback.events().get(0).getKeyValuePairs()).extracting(kv -> kv.value).containsExactly(3, true, 0.5);
    }

    @Test
    void sameNameGivesTheSameLoggerAndClassesUseTheirName() {
        assertThat(loggers.logger("same")).isSameAs(loggers.logger("same"));
        loggers.logger(Slf4jLoggerTest.class).warn("by class");
        assertThat(logback.events().get(0).getLoggerName()).isEqualTo(Slf4jLoggerTest.class.getName());
    }

    @Test
    void aBackendThatThrowsNeverReachesTheCaller() {
        AtomicInteger calls = new AtomicInteger();
        org.slf4j.Logger broken = (org.slf4j.Logger) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {org.slf4j.Logger.class}, (proxy, method, args) -> {
                    calls.incrementAndGet();
                    if (method.getName().startsWith("is")) {
                        return true;
                    }
                    if (method.getName().equals("getName")) {
                        return "broken";
                    }
                    throw new IllegalStateException("backend down: " + method.getName());
                });
        ILoggerFactory factory = name -> broken;
        Logger logger = Observability.slf4jLoggerFactory(factory).logger("broken");

        assertThatCode(() -> {
            logger.info("lost", "k", "v");
            logger.error("lost", new RuntimeException("x"));
            logger.with("k", "v").warn("lost");
        }).doesNotThrowAnyException();
        assertThat(calls.get()).as("the backend was really called and failed").isGreaterThanOrEqualTo(6);
    }

    @Test
    void aDisabledLevelAllocatesNothing() {
        logback.level("quiet", Logger.Level.ERROR);
        Logger logger = loggers.logger("quiet").with("room", "r-1");
        Object value = "p-1";
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().getId();
        // Warm up so class loading and lazy initialisation are not counted.
        for (int i = 0; i < 10_000; i++) {
            disabledCalls(logger, value);
        }
        long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 100_000; i++) {
            disabledCalls(logger, value);
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        // 400,000 calls: even one 16-byte object per call would be megabytes; allow the probe's own noise.
        assertThat(allocated).isLessThan(64 * 1024);
        assertThat(logback.events()).isEmpty();
    }

    private static void disabledCalls(Logger logger, Object value) {
        logger.debug("d", "peer_id", value);
        logger.info("i", "peer_id", value, "room", value);
        logger.warn("w", "peer_id", value);
        logger.info("plain");
    }
}
