package io.signaling.application.signaling;

import io.signaling.ports.log.KeyValues;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Loggers at DEBUG that keep every event with its full context (inherited and own key/values). */
final class RecordingLoggers implements LoggerFactory {

    record Event(Logger.Level level, String message, Map<String, Object> context) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public Logger logger(String name) {
        return new RecordingLogger(KeyValues.NONE);
    }

    private final class RecordingLogger implements Logger {
        private final Object[] context;

        RecordingLogger(Object[] context) {
            this.context = context;
        }

        @Override
        public boolean isEnabled(Level level) {
            return true;
        }

        @Override
        public void log(Level level, String message, Throwable error, Object[] keyValues) {
            Map<String, Object> all = new LinkedHashMap<>();
            KeyValues.forEach(KeyValues.concat(context, keyValues), all::put);
            events.add(new Event(level, message, all));
        }

        @Override
        public Logger with(Object... keyValues) {
            return new RecordingLogger(KeyValues.concat(context, keyValues));
        }
    }
}
