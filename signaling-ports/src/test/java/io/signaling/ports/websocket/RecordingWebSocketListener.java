package io.signaling.ports.websocket;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test listener that records every event per connection and checks the listener contract as it
 * goes: events of one connection never overlap, {@code onOpen} comes first, {@code onClose} last
 * and once. Optionally echoes each text back. Thread-safe.
 */
public class RecordingWebSocketListener implements WebSocketListener {

    /** One connection's event history. */
    public static final class Events {
        public final WebSocketConnection connection;
        public final List<String> texts = new CopyOnWriteArrayList<>();
        public final List<Throwable> errors = new CopyOnWriteArrayList<>();
        public final List<Closed> closes = new CopyOnWriteArrayList<>();
        private final AtomicBoolean inCallback = new AtomicBoolean();

        Events(WebSocketConnection connection) {
            this.connection = connection;
        }

        public boolean isClosed() {
            return !closes.isEmpty();
        }

        public Closed closed() {
            return closes.get(0);
        }
    }

    /** The code and reason {@code onClose} reported. */
    public record Closed(int code, String reason) {
    }

    private final boolean echo;
    private final Map<String, Events> byId = new ConcurrentHashMap<>();
    private final List<String> opened = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    public RecordingWebSocketListener() {
        this(false);
    }

    public RecordingWebSocketListener(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void onOpen(WebSocketConnection connection) {
        Events events = new Events(connection);
        if (byId.putIfAbsent(connection.id(), events) != null) {
            violations.add("onOpen twice for " + connection.id());
            return;
        }
        enter(events, "onOpen");
        try {
            opened.add(connection.id());
        } finally {
            exit(events);
        }
    }

    @Override
    public void onText(WebSocketConnection connection, String text) {
        Events events = eventsAfterOpen(connection, "onText");
        if (events == null) {
            return;
        }
        enter(events, "onText");
        try {
            if (events.isClosed()) {
                violations.add("onText after onClose for " + connection.id());
            }
            events.texts.add(text);
            if (echo) {
                connection.send(text);
            }
        } finally {
            exit(events);
        }
    }

    @Override
    public void onClose(WebSocketConnection connection, int code, String reason) {
        Events events = eventsAfterOpen(connection, "onClose");
        if (events == null) {
            return;
        }
        enter(events, "onClose");
        try {
            if (events.isClosed()) {
                violations.add("onClose twice for " + connection.id());
            }
            events.closes.add(new Closed(code, reason));
        } finally {
            exit(events);
        }
    }

    @Override
    public void onError(WebSocketConnection connection, Throwable error) {
        Events events = eventsAfterOpen(connection, "onError");
        if (events != null) {
            events.errors.add(error);
        }
    }

    private Events eventsAfterOpen(WebSocketConnection connection, String event) {
        Events events = byId.get(connection.id());
        if (events == null) {
            violations.add(event + " before onOpen for " + connection.id());
        }
        return events;
    }

    private void enter(Events events, String event) {
        if (!events.inCallback.compareAndSet(false, true)) {
            violations.add(event + " overlapped another callback of " + events.connection.id());
        }
    }

    private void exit(Events events) {
        events.inCallback.set(false);
    }

    /** Ids in the order their onOpen ran. */
    public List<String> openedIds() {
        return List.copyOf(opened);
    }

    public Optional<Events> events(String connectionId) {
        return Optional.ofNullable(byId.get(connectionId));
    }

    public Events only() {
        if (byId.size() != 1) {
            throw new AssertionError("expected exactly one connection, got " + byId.keySet());
        }
        return byId.values().iterator().next();
    }

    public long closedCount() {
        return byId.values().stream().filter(Events::isClosed).count();
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }
}
