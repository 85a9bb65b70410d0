package io.signaling.embedded;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the one WebSocket adapter module on a classpath with {@link ServiceLoader}: the one
 * lookup behind {@link EmbeddedSignaling} and the server jar alike. Zero or several is a build
 * mistake, reported with the modules to add or remove before anything starts. Thread-safe
 * (stateless).
 */
public final class WebSocketProviders {

    public static final String JSR_MODULE = "signaling-adapters-undertow-jsr";
    public static final String NATIVE_MODULE = "signaling-adapters-undertow-native";

    /** The classpath holds no WebSocket adapter, or more than one, or a broken one. */
    public static final class SelectionException extends IllegalStateException {
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
                    + "; keep exactly one of " + JSR_MODULE + " or " + NATIVE_MODULE, e);
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new SelectionException("no WebSocket adapter on the classpath: add exactly one of " + JSR_MODULE
                    + " (portable, the default; signaling-app builds it without -Dws.adapter) or " + NATIVE_MODULE
                    + " (leaner; signaling-app with -Dws.adapter=native), or pass one to webSocketProvider()", null);
        }
        String modules = found.stream().map(p -> p.module() + " (" + p.name() + ", " + p.getClass().getName() + ")")
                .collect(Collectors.joining(", "));
        throw new SelectionException(found.size() + " WebSocket adapters on the classpath: " + modules
                + "; remove all but one (signaling-app: build with one -Dws.adapter value, jsr or native, and do not"
                + " add the other module as a dependency), or pass the one to use to webSocketProvider()", null);
    }
}
