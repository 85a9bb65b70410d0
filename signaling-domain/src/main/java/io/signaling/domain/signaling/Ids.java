package io.signaling.domain.signaling;

/** The shared check behind {@link PeerId} and {@link RoomId}: 1 to 64 URL-safe characters. */
final class Ids {

    static final int MAX_LENGTH = 64;

    private Ids() {
    }

    static boolean isUrlSafe(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
