package io.signaling.domain.error;

import java.util.Objects;

/**
 * A broken domain rule, carrying the error it stands for so that adapters can map it to a
 * wire error (an HTTP problem, a signaling {@code error} message) without parsing text.
 */
public final class DomainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final DomainError error;

    public DomainException(DomainError error) {
        super(Objects.requireNonNull(error, "error").message(), null, false, false);
        this.error = error;
    }

    public DomainError error() {
        return error;
    }
}
