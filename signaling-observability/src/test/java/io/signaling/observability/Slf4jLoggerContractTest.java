package io.signaling.observability;

import io.signaling.ports.log.Logger;
import io.signaling.ports.log.RecordingLoggerContract;
import io.signaling.ports.log.LoggerFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The SLF4J adapter, on a real Logback backend, passes the logger contract. */
class Slf4jLoggerContractTest extends RecordingLoggerContract {

    private final LogbackCapture logback = new LogbackCapture();
    private final LoggerFactory loggers = Observability.slf4jLoggerFactory(logback.context);

    @AfterEach
    void stopLogback() {
        logback.close();
    }

    @Override
    protected Logger logger(String name, Logger.Level threshold) {
        logback.level(name, threshold);
        return loggers.logger(name);
    }

    @Override
    protected List<LoggedEvent> loggedEvents() {
        return logback.loggedEvents();
    }
}
