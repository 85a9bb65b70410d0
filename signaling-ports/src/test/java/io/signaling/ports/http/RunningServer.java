package io.signaling.ports.http;

import java.net.URI;

/**
 * A started server under test, as a router adapter's contract test returns it: where it listens,
 * and how to stop it.
 */
public interface RunningServer extends AutoCloseable {

    /** The base URI, such as {@code http://127.0.0.1:54321}, without a trailing slash. */
    URI baseUri();

    /** Stops the server; must not throw when the server is already stopped. */
    @Override
    void close() throws Exception;

    static RunningServer of(URI baseUri, AutoCloseable stop) {
        return new RunningServer() {
            @Override
            public URI baseUri() {
                return baseUri;
            }

            @Override
            public void close() throws Exception {
                stop.close();
            }
        };
    }
}
