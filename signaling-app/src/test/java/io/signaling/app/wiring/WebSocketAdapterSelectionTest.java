package io.signaling.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.adapter.undertow.UndertowWebSocketProvider;
import io.signaling.app.Launcher;
import io.signaling.app.SignalingNode;
import io.signaling.embedded.WebSocketProviders;
import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import io.signaling.app.config.SignalingConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which WebSocket adapter module the build put on the classpath, and what happens with none or
 * two. CI runs this module twice (default and {@code -Dws.adapter=native}); surefire passes the
 * chosen value as the {@code ws.adapter} system property, so each run proves which adapter served.
 */
class WebSocketAdapterSelectionTest {

    private static final String SERVICES = "META-INF/services/" + UndertowWebSocketProvider.class.getName();

    private static String chosenByTheBuild() {
        String chosen = System.getProperty("ws.adapter");
        assertThat(chosen).as("surefire passes the build's -Dws.adapter choice").isIn("jsr", "native");
        return chosen;
    }

    @Test
    void theClasspathHoldsExactlyTheAdapterTheBuildChose() {
        UndertowWebSocketProvider provider = WebSocketProviders.single(getClass().getClassLoader());

        assertThat(provider.name()).isEqualTo(chosenByTheBuild());
        assertThat(provider.module()).isEqualTo(chosenByTheBuild().equals("jsr")
                ? WebSocketProviders.JSR_MODULE : WebSocketProviders.NATIVE_MODULE);
    }

    @Test
    void aNodeServesWebSocketsOnTheChosenAdapter() throws Exception {
        SignalingConfig config = new ConfigLoader().load(ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("admin.enabled", "false")
                .withFlag("shutdown.readiness-delay", "0s")
                .withFlag("shutdown.drain-timeout", "2s"));
        SignalingNode node = SignalingNode.builder(config).build();
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
        WebSocket ws = null;
        try {
            node.start();
            assertThat(node.webSocketAdapter()).isEqualTo(chosenByTheBuild());
            URI uri = URI.create("ws://127.0.0.1:" + node.publicAddress().getPort() + config.websocket().path());
            // Completes only after the adapter answered the upgrade with 101.
            ws = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            assertThat(ws.isInputClosed()).isFalse();
        } finally {
            if (ws != null) {
                ws.abort();
            }
            assertThat(node.shutdown()).isTrue();
            clientThreads.shutdownNow();
            assertThat(clientThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void noAdapterOnTheClasspathNamesBothModulesToChooseFrom() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> WebSocketProviders.single(empty))
                    .isInstanceOf(WebSocketProviders.SelectionException.class)
                    .hasMessageContaining("no WebSocket adapter")
                    .hasMessageContaining(WebSocketProviders.JSR_MODULE)
                    .hasMessageContaining(WebSocketProviders.NATIVE_MODULE);
        }
    }

    @Test
    void twoAdaptersOnTheClasspathNameTheModulesToRemove(@TempDir Path dir) throws Exception {
        try (URLClassLoader both = withExtraProvider(dir, SecondWebSocketProvider.class)) {
            assertThatThrownBy(() -> WebSocketProviders.single(both))
                    .isInstanceOf(WebSocketProviders.SelectionException.class)
                    .hasMessageContaining("2 WebSocket adapters")
                    .hasMessageContaining(WebSocketProviders.single(getClass().getClassLoader()).module())
                    .hasMessageContaining(SecondWebSocketProvider.MODULE)
                    .hasMessageContaining("remove all but one");
        }
    }

    @Test
    void theLauncherExitsWith2AndStartsNothingWhenTheBuildHasNoAdapter() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            Launcher launcher = new Launcher(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    action -> {
                        throw new AssertionError("nothing may start, so nothing waits for a signal");
                    }, empty);

            int exit = launcher.run(new String[] {"--server.port=0", "--admin.enabled=false"});

            assertThat(exit).isEqualTo(Launcher.EXIT_CONFIG_ERROR).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("nothing was started")
                    .contains(WebSocketProviders.JSR_MODULE)
                    .contains(WebSocketProviders.NATIVE_MODULE);
        }
    }

    @Test
    void theLauncherExitsWith2WhenTheBuildHasTwoAdapters(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (URLClassLoader both = withExtraProvider(dir, SecondWebSocketProvider.class)) {
            Launcher launcher = new Launcher(Map.of(), new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    action -> {
                        throw new AssertionError("nothing may start");
                    }, both);

            assertThat(launcher.run(new String[] {"--server.port=0", "--admin.enabled=false"})).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("2 WebSocket adapters")
                    .contains(SecondWebSocketProvider.MODULE);
        }
    }

    /** A loader that sees this classpath's adapter plus {@code extra}, registered the ServiceLoader way. */
    private URLClassLoader withExtraProvider(Path dir, Class<? extends UndertowWebSocketProvider> extra)
            throws Exception {
        Path services = dir.resolve(SERVICES);
        Files.createDirectories(services.getParent());
        Files.writeString(services, extra.getName() + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }
}
