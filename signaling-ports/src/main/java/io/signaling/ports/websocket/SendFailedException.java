package io.signaling.ports.websocket;

/** Why a send did not reach the wire. Carries no stack trace: it is an expected outcome. */
public final class SendFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        CLOSED,
        QUEUE_FULL,
        TIMEOUT,
        IO_ERROR
    }

    private final Reason reason;

    public SendFailedException(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
