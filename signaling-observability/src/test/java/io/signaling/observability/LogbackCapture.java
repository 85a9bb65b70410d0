package io.signaling.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerContract.LoggedEvent;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * A private Logback context (never the global one) with a {@link ListAppender} on the root, so
 * tests see exactly what SLF4J handed to the backend.
 */
final class LogbackCapture implements AutoCloseable {

    final LoggerContext context = new LoggerContext();
    /** Captures the MDC when the event is appended, as an async appender would, not when read. */
    final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };

    LogbackCapture() {
        // The MDC is SLF4J's per-thread map; a private context must read the same one.
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();
        appender.setContext(context);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.DEBUG);
        root.addAppender(appender);
    }

    void level(String loggerName, Logger.Level threshold) {
        context.getLogger(loggerName).setLevel(Level.toLevel(threshold.name()));
    }

    List<ILoggingEvent> events() {
        return appender.list;
    }

    List<LoggedEvent> loggedEvents() {
        List<LoggedEvent> out = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            List<Map.Entry<String, Object>> pairs = new ArrayList<>();
            if (event.getKeyValuePairs() != null) {
                event.getKeyValuePairs().forEach(kv -> pairs.add(new AbstractMap.SimpleEntry<>(kv.key, kv.value)));
            }
            Throwable error = event.getThrowableProxy() instanceof ThrowableProxy proxy ? proxy.getThrowable() : null;
            out.add(new LoggedEvent(Logger.Level.valueOf(event.getLevel().toString()), event.getMessage(), error, pairs));
        }
        return out;
    }

    @Override
    public void close() {
        appender.stop();
        context.stop();
    }
}
