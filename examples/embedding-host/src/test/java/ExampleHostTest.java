import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The guide's ExampleHost, compiled from docs/embedding.md against the installed artifacts, runs:
 * the host's own route answers, its readiness includes signaling's, and a WebSocket client on
 * /signal is welcomed and joins a room.
 */
class ExampleHostTest {

    @Test
    void theGuidesHostServesItsRoutesAndSignaling() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ExampleHost host = new ExampleHost("127.0.0.1", 0, new NOPLoggerFactory(), registry, OpenTelemetry.noop())) {
            String base = "http://127.0.0.1:" + host.address().getPort();
            HttpClient http = HttpClient.newHttpClient();
            assertEquals("hello from the host", http.send(HttpRequest.newBuilder(URI.create(base + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            CompletableFuture<String> welcome = new CompletableFuture<>();
            CompletableFuture<String> joined = new CompletableFuture<>();
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + host.address().getPort() + "/signal"), new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                String message = text.toString();
                                text.setLength(0);
                                (welcome.isDone() ? joined : welcome).complete(message);
                            }
                            socket.request(1);
                            return null;
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            assertTrue(welcome.get(10, TimeUnit.SECONDS).contains("\"type\":\"welcome\""), welcome.get());
            ws.sendText("{\"type\":\"join\",\"room\":\"example\"}", true).get(10, TimeUnit.SECONDS);
            assertTrue(joined.get(10, TimeUnit.SECONDS).contains("\"type\":\"joined\""), joined.get());
            // Signaling records into the host's registry (per type and outcome; counted after the reply).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            double joins = 0;
            while (joins < 1 && System.nanoTime() < deadline) {
                joins = registry.find("signaling.messages").tag("type", "join").counters().stream()
                        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
                if (joins < 1) {
                    Thread.sleep(20);
                }
            }
            assertEquals(1.0, joins, "the host's registry counted the join");
            ws.abort();
        }
    }
}
