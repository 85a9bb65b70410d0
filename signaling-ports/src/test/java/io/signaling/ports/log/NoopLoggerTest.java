package io.signaling.ports.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.log.Logger.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The port's own no-op logger keeps every rule of the contract; it has nothing to read back. */
class NoopLoggerTest extends LoggerContract {

    @Override
    protected Logger logger(String name, Level threshold) {
        return LoggerFactory.noop().logger(name);
    }

    @Override
    protected List<LoggedEvent> loggedEvents() {
        return List.of();
    }

    @Test
    void isNeverEnabled() {
        for (Level level : Level.values()) {
            assertThat(Logger.noop().isEnabled(level)).isFalse();
        }
        assertThat(Logger.noop().with("k", "v")).isSameAs(Logger.noop());
    }
}
