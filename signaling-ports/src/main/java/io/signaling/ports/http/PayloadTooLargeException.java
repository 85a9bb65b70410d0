package io.signaling.ports.http;

import java.io.IOException;

/** A request body over the adapter's limit; the recovery middleware answers it with 413. */
public final class PayloadTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
