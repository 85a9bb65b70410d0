package io.signaling.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// Bounds the blocking channel reads: on timeout JUnit interrupts the test thread, which closes the channel.
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class UnixSocketRelayTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private ServerSocket upstream;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        dir = Files.createTempDirectory(Path.of("/tmp"), "uds-relay-test-");
    }

    @AfterEach
    void tearDown() throws Exception {
        upstream.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        Files.deleteIfExists(dir);
    }

    @Test
    void relaysBothWaysAndPassesTheHalfCloseOn() throws Exception {
        // Upper-cases everything until the client half-closes, then answers and closes: the answer
        // only comes if the relay forwards the client's end of stream.
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try (Socket s = accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                String request = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                out.write(request.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, executor);

        try (UnixSocketRelay relay = UnixSocketRelay.start(dir.resolve("r.sock"), target());
             SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(relay.socketPath()))) {
            client.write(ByteBuffer.wrap("hello through the namespace".getBytes(StandardCharsets.UTF_8)));
            client.shutdownOutput();
            String answer = new String(readAll(client), StandardCharsets.UTF_8);

            assertThat(answer).isEqualTo("HELLO THROUGH THE NAMESPACE");
            served.get(10, TimeUnit.SECONDS);
            assertThat(relay.acceptedConnections()).isEqualTo(1);
        }
        assertThat(dir.resolve("r.sock")).doesNotExist();
    }

    @Test
    void closeEndsOpenConnections() throws Exception {
        CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, executor);
        UnixSocketRelay relay = UnixSocketRelay.start(dir.resolve("r.sock"), target());
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(relay.socketPath()));
             Socket server = accepted.get(10, TimeUnit.SECONDS)) {
            relay.close();

            // Both ends see the stream end instead of hanging.
            assertThat(client.read(ByteBuffer.allocate(16))).isEqualTo(-1);
            assertThat(server.getInputStream().read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("r.sock"))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void refusesASocketPathThatIsTaken() throws Exception {
        try (UnixSocketRelay first = UnixSocketRelay.start(dir.resolve("r.sock"), target())) {
            assertThatThrownBy(() -> UnixSocketRelay.start(first.socketPath(), target()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(first.socketPath().toString());
        }
    }

    private Socket accept() throws IOException {
        Socket s = upstream.accept();
        s.setSoTimeout(10_000);
        return s;
    }

    private InetSocketAddress target() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getLocalPort());
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (channel.read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                throw new IllegalStateException("answer larger than expected");
            }
        }
        buffer.flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
