package io.signaling.domain.signaling;

/** Why a peer left its room, as {@code peer-left} reports it. */
public enum LeaveReason {
    /** An explicit {@code leave}. */
    LEAVE("leave"),
    /** Any close or drop, including one the server made for a protocol violation. */
    DISCONNECT("disconnect"),
    /** The idle timeout closed the connection. */
    TIMEOUT("timeout"),
    /** The node drained the connection on shutdown. */
    SHUTDOWN("shutdown");

    private final String wire;

    LeaveReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
