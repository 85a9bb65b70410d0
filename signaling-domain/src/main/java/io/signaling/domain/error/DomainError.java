package io.signaling.domain.error;

/**
 * The errors the domain knows about. Each has a stable machine-readable code and a message
 * fit for a client; neither ever carries internals such as stack traces or class names.
 */
public sealed interface DomainError permits DomainError.InvalidArgument, DomainError.IllegalState, DomainError.Unavailable {

    String code();

    String message();

    /** An input broke a rule of the model (a bad room name, a value out of range). */
    record InvalidArgument(String code, String message) implements DomainError {
    }

    /** An operation is not allowed in the current state (joining twice, leaving while in no room). */
    record IllegalState(String code, String message) implements DomainError {
    }

    /** The node cannot serve this now (starting, draining, at capacity); retrying later may work. */
    record Unavailable(String code, String message) implements DomainError {
    }
}
