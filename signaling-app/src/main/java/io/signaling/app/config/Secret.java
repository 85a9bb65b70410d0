package io.signaling.app.config;

import java.util.Objects;

/**
 * A configuration value that must never reach a log or a console. {@link #toString()} masks it,
 * so printing a config record (or a whole {@link SignalingConfig}) cannot leak it by accident;
 * the clear text is available only through the deliberately named {@link #reveal()}.
 */
public final class Secret {

    /** What every secret prints as, whatever its length (the length is a leak too). */
    public static final String MASK = "******";

    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return value.isEmpty() ? EMPTY : new Secret(value);
    }

    public static Secret empty() {
        return EMPTY;
    }

    /** The clear text; call only where it is handed to the system that needs it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
