package io.signaling.domain.signaling;

/**
 * A token bucket for one connection's message rate: it holds up to {@code burst} tokens, refills at
 * {@code ratePerSecond}, and each accepted message takes one. Time is passed in (nanoseconds from
 * any fixed origin, as {@link System#nanoTime()}), so it is deterministic under test.
 *
 * <p>Not thread-safe: one connection's messages are handled one at a time.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;
    /** Absorbs floating-point drift so that exactly one refill period yields exactly one token. */
    private static final double EPSILON = 1e-9;

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastRefillNanos;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("ratePerSecond must be a positive finite number, got " + ratePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, got " + burst);
        }
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1 - EPSILON) {
            tokens = Math.max(0, tokens - 1);
            return true;
        }
        return false;
    }

    /** The milliseconds after which one message will be accepted; 0 when one would be now. */
    public long millisUntilNextToken(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1 - EPSILON) {
            return 0;
        }
        double millis = (1 - tokens) / ratePerNano / 1_000_000d;
        return (long) Math.ceil(millis - EPSILON);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            lastRefillNanos = nowNanos;
        }
    }
}
