package io.signaling.adapter.undertow.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ping, idle and send timeout on a manual clock. */
class ConnectionTimersTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final ManualIoThread io = new ManualIoThread();
    private final List<String> actions = new ArrayList<>();
    private boolean closing;
    private OutboundQueue.InFlight inFlight = new OutboundQueue.InFlight(false, 0);

    private final ConnectionTimers timers = new ConnectionTimers(io, io, 10 * SECOND, 25 * SECOND, 15 * SECOND,
            () -> inFlight, () -> closing, new ConnectionTimers.Actions() {
                @Override
                public void ping() {
                    actions.add("ping@" + io.getAsLong() / SECOND);
                }

                @Override
                public void idle() {
                    actions.add("idle@" + io.getAsLong() / SECOND);
                    closing = true;
                }

                @Override
                public void sendTimedOut() {
                    actions.add("send-timeout@" + io.getAsLong() / SECOND);
                    closing = true;
                }
            });

    @Test
    void pingsEveryIntervalAndClosesWhenNothingArrivesWithinTheIdleTimeout() {
        long start = io.getAsLong() / SECOND;
        timers.start();
        io.advance(60 * SECOND);
        assertThat(actions).containsExactly("ping@" + (start + 10), "ping@" + (start + 20), "idle@" + (start + 25));
        assertThat(io.pending()).as("no timer after the close").isZero();
    }

    @Test
    void anythingReceivedStartsTheIdleTimeoutOver() {
        long start = io.getAsLong() / SECOND;
        timers.start();
        io.advance(20 * SECOND);
        timers.received(); // a pong at +20
        io.advance(40 * SECOND);
        assertThat(actions).containsExactly("ping@" + (start + 10), "ping@" + (start + 20), "ping@" + (start + 30),
                "ping@" + (start + 40), "idle@" + (start + 45));
    }

    @Test
    void aWriteInFlightLongerThanTheSendTimeoutClosesTheConnection() {
        long start = io.getAsLong() / SECOND;
        timers.start();
        io.advance(2 * SECOND);
        inFlight = new OutboundQueue.InFlight(true, io.getAsLong());
        io.advance(20 * SECOND);
        assertThat(actions).containsExactly("ping@" + (start + 10), "send-timeout@" + (start + 17));
    }

    @Test
    void stopsOnceTheConnectionIsClosing() {
        timers.start();
        io.advance(SECOND);
        closing = true;
        io.advance(60 * SECOND);
        assertThat(actions).isEmpty();
        assertThat(io.pending()).isZero();
    }
}
