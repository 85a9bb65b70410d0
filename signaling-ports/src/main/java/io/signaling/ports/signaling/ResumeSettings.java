package io.signaling.ports.signaling;

import java.time.Duration;
import java.util.Objects;

/**
 * (v1.1) How long and how much a lost session is kept for its client to resume.
 *
 * @param window         {@code session.resume-window}: how long a suspended session waits; zero turns resume off
 * @param bufferMessages {@code session.resume-buffer-messages}: the most messages kept for one session
 *                       (sent ones, for replay, and those that arrive while it is suspended)
 * @param bufferBytes    {@code session.resume-buffer-bytes}: the same bound in UTF-8 bytes
 */
public record ResumeSettings(Duration window, int bufferMessages, long bufferBytes) {

    public ResumeSettings {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, got " + window);
        }
        if (bufferMessages < 1) {
            throw new IllegalArgumentException("bufferMessages must be >= 1, got " + bufferMessages);
        }
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("bufferBytes must be >= 1, got " + bufferBytes);
        }
    }

    /** The contract's defaults: a 15 s window, 256 messages, 1 MiB. */
    public static ResumeSettings defaults() {
        return new ResumeSettings(Duration.ofSeconds(15), 256, 1024 * 1024);
    }

    /** Resume turned off. */
    public static ResumeSettings off() {
        return new ResumeSettings(Duration.ZERO, 256, 1024 * 1024);
    }

    public boolean enabled() {
        return !window.isZero();
    }
}
