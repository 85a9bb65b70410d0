package io.signaling.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.benchmarks.bare.BareUndertow;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class BlockingWebSocketTest {

    @Test
    void acceptKeyMatchesTheRfc6455Example() {
        assertThat(WsFrames.expectedAccept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void talksToARealServerIncludingLargeFramesAndRefusedHandshakes() throws Exception {
        try (var server = BareUndertow.start("127.0.0.1", 0)) {
            try (var ws = new BlockingWebSocket(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), 5_000)) {
                assertThat(ws.readText()).startsWith("{\"type\":\"welcome\"");
                String big = "x".repeat(70_000 - 1);
                ws.sendText("y" + big.substring(0, 300));
                assertThat(ws.readText()).isEqualTo("y" + big.substring(0, 300));
                // Above the baseline's 64 KiB limit: the server closes with 1009.
                ws.sendText("y" + big);
                assertThatThrownBy(ws::readText).isInstanceOf(IOException.class).hasMessageContaining("1009");
            }
            assertThatThrownBy(() -> new BlockingWebSocket(URI.create("ws://127.0.0.1:" + server.port() + "/nope"), 5_000))
                    .isInstanceOf(IOException.class).hasMessageContaining("handshake refused");
        }
    }
}
