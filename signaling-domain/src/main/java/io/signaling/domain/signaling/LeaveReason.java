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
    SHUTDOWN("shutdown"),
    /** An operator removed the peer through the room management API (v1 connections are told {@code leave}). */
    REMOVED("removed"),
    /** An operator closed the room; sent only in {@code left}, never in {@code peer-left}. */
    CLOSED("closed");

    private final String wire;

    LeaveReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /**
     * The reason as a connection of the given protocol version may be told it: v1 knows only
     * {@code leave}, {@code disconnect}, {@code timeout} and {@code shutdown}, so an operator's
     * removal reads as a {@code leave} there.
     */
    public LeaveReason forProtocol(boolean v11) {
        return v11 || (this != REMOVED && this != CLOSED) ? this : LEAVE;
    }
}
