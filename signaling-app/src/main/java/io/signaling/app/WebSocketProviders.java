package io.signaling.app;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the one WebSocket adapter module the build put on the classpath (Maven profile
 * {@code ws-jsr}, the default, or {@code ws-native} with {@code -Dws.adapter=native}). Zero or
 * several is a build mistake, reported with the modules to add or remove before anything starts.
 * Thread-safe (stateless).
 */
public final class WebSocketProviders {

    public static final String JSR_MODULE = "signaling-adapters-undertow-jsr";
    public static final String NATIVE_MODULE = "signaling-adapters-undertow-native";

    /** The classpath holds no WebSocket adapter, or more than one. */
    public static final class SelectionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SelectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private WebSocketProviders() {
    }

    /** The single provider visible to {@code loader}; otherwise a {@link SelectionException} saying what to change. */
    public static UndertowWebSocketProvider single(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        List<UndertowWebSocketProvider> found;
        try {
            found = ServiceLoader.load(UndertowWebSocketProvider.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();
        } catch (ServiceConfigurationError e) {
            throw new SelectionException("a WebSocket adapter module on the classpath is broken: " + e.getMessage()
                    + "; rebuild with exactly one of " + JSR_MODULE + " or " + NATIVE_MODULE, e);
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new SelectionException("no WebSocket adapter on the classpath: add exactly one of " + JSR_MODULE
                    + " (the default; build signaling-app without -Dws.adapter) or " + NATIVE_MODULE
                    + " (build with -Dws.adapter=native)", null);
        }
        String modules = found.stream().map(p -> p.module() + " (" + p.name() + ", " + p.getClass().getName() + ")")
                .collect(Collectors.joining(", "));
        throw new SelectionException(found.size() + " WebSocket adapters on the classpath: " + modules
                + "; remove all but one (build signaling-app with one -Dws.adapter value: jsr or native, and do not"
                + " add the other module as a dependency)", null);
    }
}
