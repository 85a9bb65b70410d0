package io.signaling.ports.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A monotonic nanosecond clock that moves only when a test says so. Thread-safe. */
public final class ManualNanoClock implements LongSupplier {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    public ManualNanoClock advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }
}
