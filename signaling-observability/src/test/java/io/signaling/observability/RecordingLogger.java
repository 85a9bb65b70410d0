package io.signaling.observability;

import io.signaling.ports.log.KeyValues;
import io.signaling.ports.log.Logger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test fake {@link Logger} that keeps every event, to check what an adapter reports. */
final class RecordingLogger implements Logger {

    record Event(Level level, String message, Throwable error, Map<String, Object> keyValues) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public boolean isEnabled(Level level) {
        return true;
    }

    @Override
    public void log(Level level, String message, Throwable error, Object[] keyValues) {
        Map<String, Object> pairs = new java.util.LinkedHashMap<>();
        KeyValues.forEach(keyValues, pairs::put);
        events.add(new Event(level, message, error, pairs));
    }

    @Override
    public Logger with(Object... keyValues) {
        throw new UnsupportedOperationException("not needed by these tests");
    }
}
