package io.signaling.adapter.undertow;

import io.signaling.ports.http.HttpServer;
import io.signaling.ports.http.NonBlockingHttpHandler;
import io.signaling.ports.http.Router;
import io.signaling.ports.http.RouterContract;
import io.signaling.ports.http.RunningServer;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The router contract on a real Undertow listener. */
class UndertowRouterTest extends RouterContract {

    @Override
    protected Router newRouter() {
        return UndertowHttp.newRouter();
    }

    @Test
    void nonBlockingRoutesRunOnTheIoThreadAndOthersOnAWorker() throws Exception {
        AtomicReference<String> nonBlockingThread = new AtomicReference<>();
        AtomicReference<String> blockingThread = new AtomicReference<>();
        Router router = newRouter()
                .get("/fast", NonBlockingHttpHandler.of(ex -> {
                    nonBlockingThread.set(Thread.currentThread().getName());
                    ex.send("text/plain", "fast");
                }))
                .get("/slow", ex -> {
                    blockingThread.set(Thread.currentThread().getName());
                    ex.send("text/plain", "slow");
                })
                .post("/fast-body", NonBlockingHttpHandler.of(ex -> ex.send("text/plain", new String(ex.requestBody()))));
        try (RunningServer server = start(router)) {
            HttpClient client = HttpClient.newHttpClient();
            assertThat(get(client, server, "/fast").body()).isEqualTo("fast");
            assertThat(get(client, server, "/slow").body()).isEqualTo("slow");
            // A "non-blocking" handler that reads the body breaks its promise: a clear 500, not a hang.
            HttpResponse<String> misuse = client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/fast-body"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(misuse.statusCode()).isEqualTo(500);
        }
        assertThat(nonBlockingThread.get()).contains("I/O");
        assertThat(blockingThread.get()).contains("task").doesNotContain("I/O");
    }

    private static HttpResponse<String> get(HttpClient client, RunningServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    protected RunningServer start(Router router) throws Exception {
        HttpServer server = UndertowHttp.server().name("router-test").host("127.0.0.1").port(0)
                .ioThreads(1).workerThreads(4).router(router).build();
        server.start();
        return RunningServer.of(URI.create("http://127.0.0.1:" + server.address().getPort()),
                () -> assertThat(server.stop(Duration.ofSeconds(5))).as("server stopped in time").isTrue());
    }
}
