package io.signaling.domain.signaling;

/**
 * The server-assigned identity of one connection in signaling: 1 to 64 characters of
 * {@code [A-Za-z0-9_-]} (URL-safe base64 fits). Generating one needs a secure random source, so it
 * is not done here; the application's {@code PeerIdGenerator} does it.
 */
public record PeerId(String value) {

    public PeerId {
        if (!Ids.isUrlSafe(value)) {
            throw new IllegalArgumentException("a peer id is 1-64 characters of [A-Za-z0-9_-], got "
                    + (value == null ? "null" : "'" + abbreviate(value) + "'"));
        }
    }

    public static PeerId of(String value) {
        return new PeerId(value);
    }

    /** Whether {@code value} would make a valid peer id; never throws. */
    public static boolean isValid(String value) {
        return Ids.isUrlSafe(value);
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }

    @Override
    public String toString() {
        return value;
    }
}
