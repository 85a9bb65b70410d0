package io.signaling.application.lifecycle;

import java.util.Objects;

/** A component failed to start (or start was aborted by a shutdown); names the component. */
public final class ComponentStartException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String component;

    public ComponentStartException(String component, String message, Throwable cause) {
        super(message, cause);
        this.component = Objects.requireNonNull(component, "component");
    }

    /** The name of the component that failed to start. */
    public String component() {
        return component;
    }
}
