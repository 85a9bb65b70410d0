package io.signaling.adapter.undertow.jsr;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.adapter.undertow.websocket.UndertowWebSocketEndpointContract;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The shared endpoint contract (telemetry, spans, logs, admission) against the Jakarta adapter. */
class JsrWebSocketEndpointTest extends UndertowWebSocketEndpointContract {

    @Override
    protected UndertowWebSocketProvider provider() {
        return new JsrWebSocketProvider();
    }

    @Test
    void isTheOnlyProviderThisModuleRegisters() {
        assertThat(ServiceLoader.load(UndertowWebSocketProvider.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(JsrWebSocketProvider.class);
        assertThat(provider().name()).isEqualTo("jsr");
        assertThat(provider().module()).isEqualTo("signaling-adapters-undertow-jsr");
    }
}
