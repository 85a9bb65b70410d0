package io.signaling.ports.testing;

import io.signaling.ports.log.KeyValues;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A {@link Logger} and {@link LoggerFactory} that records every event, with the context of
 * {@link #with} merged into its key/values, into one list shared by all loggers made from it.
 * Thread-safe.
 */
public final class RecordingLogger implements Logger, LoggerFactory {

    /** One recorded event; {@code keyValues} holds the context pairs first, then the call's. */
    public record Event(String logger, Level level, String message, Throwable error, Map<String, Object> keyValues) {

        /** The value of a key, or {@code null}. */
        public Object get(String key) {
            return keyValues.get(key);
        }

        public boolean has(String key) {
            return keyValues.containsKey(key);
        }
    }

    private static final class Sink {
        final List<Event> events = new CopyOnWriteArrayList<>();
        volatile Level threshold = Level.DEBUG;
    }

    private final String name;
    private final Object[] context;
    private final Sink sink;

    public RecordingLogger() {
        this("test", KeyValues.NONE, new Sink());
    }

    private RecordingLogger(String name, Object[] context, Sink sink) {
        this.name = name;
        this.context = context;
        this.sink = sink;
    }

    /** Events below this level are not enabled (and not recorded); DEBUG by default. */
    public RecordingLogger threshold(Level level) {
        sink.threshold = Objects.requireNonNull(level, "level");
        return this;
    }

    @Override
    public boolean isEnabled(Level level) {
        return level.ordinal() >= sink.threshold.ordinal();
    }

    @Override
    public void log(Level level, String message, Throwable error, Object[] keyValues) {
        if (!isEnabled(level)) {
            return;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        KeyValues.forEach(KeyValues.concat(context, keyValues), map::put);
        sink.events.add(new Event(name, level, message, error, Collections.unmodifiableMap(map)));
    }

    @Override
    public Logger with(Object... keyValues) {
        return new RecordingLogger(name, KeyValues.concat(context, keyValues), sink);
    }

    @Override
    public Logger logger(String name) {
        return new RecordingLogger(name, KeyValues.NONE, sink);
    }

    /** Every event of every logger sharing this sink, in order. */
    public List<Event> events() {
        return List.copyOf(sink.events);
    }

    public List<Event> events(Level level) {
        return sink.events.stream().filter(e -> e.level() == level).collect(Collectors.toList());
    }

    public List<Event> eventsWithMessage(String message) {
        return sink.events.stream().filter(e -> e.message().equals(message)).collect(Collectors.toList());
    }

    public List<Event> eventsOf(String loggerName) {
        return sink.events.stream().filter(e -> e.logger().equals(loggerName)).collect(Collectors.toList());
    }

    public void clear() {
        sink.events.clear();
    }
}
