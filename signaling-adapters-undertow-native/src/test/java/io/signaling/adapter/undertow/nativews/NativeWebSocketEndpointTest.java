package io.signaling.adapter.undertow.nativews;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.adapter.undertow.websocket.UndertowWebSocketEndpointContract;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The shared endpoint contract (telemetry, spans, logs, admission, sizes) against the native adapter. */
class NativeWebSocketEndpointTest extends UndertowWebSocketEndpointContract {

    @Override
    protected UndertowWebSocketProvider provider() {
        return new NativeWebSocketProvider();
    }

    @Test
    void isTheOnlyProviderThisModuleRegisters() {
        assertThat(ServiceLoader.load(UndertowWebSocketProvider.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(NativeWebSocketProvider.class);
        assertThat(provider().name()).isEqualTo("native");
        assertThat(provider().module()).isEqualTo("signaling-adapters-undertow-native");
    }

    @Test
    void needsNoServletOrJakartaClasses() {
        ClassLoader loader = NativeWebSocketProvider.class.getClassLoader();
        assertThat(loader.getResource("jakarta/websocket/Session.class")).isNull();
        assertThat(loader.getResource("io/undertow/servlet/Servlets.class")).isNull();
    }
}
