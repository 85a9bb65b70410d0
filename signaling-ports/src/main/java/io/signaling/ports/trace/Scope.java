package io.signaling.ports.trace;

/** Restores the previously current context when closed. Close on the thread that opened it. */
public interface Scope extends AutoCloseable {

    Scope NOOP = () -> { };

    @Override
    void close();
}
