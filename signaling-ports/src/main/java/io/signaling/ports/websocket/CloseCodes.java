package io.signaling.ports.websocket;

/** The WebSocket close codes this server uses (RFC 6455 section 7.4.1). */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Never sent on the wire: reported locally when a connection dropped without a close frame. */
    public static final int ABNORMAL = 1006;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;
    public static final int TRY_AGAIN_LATER = 1013;
    /** (v1.1) The session resumed on another connection; this one (half-open) is closed. */
    public static final int REPLACED = 4001;

    /** The close reason the adapter reports when it closed a connection for its idle timeout. */
    public static final String IDLE_TIMEOUT_REASON = "idle timeout";

    /** The close reason the adapter uses for a slow consumer whose outbound queue overflowed. */
    public static final String SLOW_CONSUMER_REASON = "slow consumer";

    private CloseCodes() {
    }
}
