package io.signaling.ports.cluster;

/**
 * The shared store could not be reached, or did not answer within the command timeout. Whether
 * the operation took effect is unknown only where the method says so; callers answer their client
 * {@code unavailable} and let it retry.
 */
public class ClusterUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ClusterUnavailableException(String message) {
        super(message);
    }
}
