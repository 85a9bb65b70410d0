package io.signaling.adapter.undertow;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpServer;
import io.signaling.ports.http.PayloadTooLargeException;
import io.signaling.ports.http.Problem;
import io.signaling.ports.http.Router;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class UndertowHttpServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<HttpServer> servers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService executor;
    private HttpClient client;

    @BeforeEach
    void setUp() {
        executor = Executors.newCachedThreadPool();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .executor(executor).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        for (HttpServer server : servers) {
            server.stop(Duration.ofSeconds(5));
        }
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private HttpServer start(UndertowHttp.ServerBuilder builder) throws Exception {
        HttpServer server = builder.host("127.0.0.1").port(0).ioThreads(1).workerThreads(4).build();
        servers.add(server);
        server.start();
        return server;
    }

    private static URI uri(HttpServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private HttpResponse<String> get(HttpServer server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(server, path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(HttpServer server, String path) {
        return client.sendAsync(HttpRequest.newBuilder(uri(server, path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean threadsAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
    }

    @Test
    void portZeroBindsAFreePortThatAddressReports() throws Exception {
        HttpServer server = UndertowHttp.server().name("zero").host("127.0.0.1").port(0).build();
        servers.add(server);
        assertThatThrownBy(server::address).isInstanceOf(IllegalStateException.class);

        server.start();

        InetSocketAddress address = server.address();
        assertThat(address.getPort()).isPositive();
        assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(get(server, "/anything").statusCode()).isEqualTo(404);
        assertThat(server.name()).isEqualTo("http-zero");
    }

    @Test
    void stopRefusesNewConnectionsAnswers503OnOpenOnesAndLetsTheInFlightRequestFinish() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        Router router = UndertowHttp.newRouter()
                .get("/slow", ex -> {
                    entered.countDown();
                    assertThat(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    ex.send("text/plain", "slow done");
                })
                .get("/fast", ex -> ex.send("text/plain", "fast"));
        HttpServer server = start(UndertowHttp.server().name("drain").router(router));
        InetSocketAddress address = server.address();

        CompletableFuture<HttpResponse<String>> slow = getAsync(server, "/slow");
        assertThat(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        try (HttpRawConnection keepAlive = new HttpRawConnection(address)) {
            HttpRawConnection.Response before = keepAlive.get("/fast");
            assertThat(before.status()).isEqualTo(200);
            assertThat(before.body()).isEqualTo("fast");
            await().atMost(TIMEOUT).until(() -> server.activeRequests() == 1);

            Future<Boolean> stopping = executor.submit(() -> server.stop(TIMEOUT));

            // New connections are refused by the OS once the listening socket is closed.
            await().atMost(TIMEOUT).until(() -> HttpRawConnection.connectionRefused(address));
            assertThatThrownBy(() -> get(server, "/fast")).isInstanceOf(ConnectException.class);

            // A new request on a connection opened before the stop gets 503 and the connection closes.
            HttpRawConnection.Response refused = keepAlive.get("/fast");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(refused.header("Content-Type")).isEqualTo(Problem.CONTENT_TYPE);
            assertThat(refused.body()).contains("\"status\":503", "\"title\":\"Service Unavailable\"");
            assertThat(keepAlive.isClosedByServer()).isTrue();

            assertThat(slow).isNotDone();
            assertThat(stopping).isNotDone();
            assertThat(server.activeRequests()).isEqualTo(1);
            release.countDown();

            HttpResponse<String> done = slow.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.body()).isEqualTo("slow done");
            assertThat(stopping.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.activeRequests()).isZero();
        // Worker threads end just after termination is reported; wait, bounded, for them to go.
        await().atMost(TIMEOUT).until(() -> !threadsAlive("http-drain "));
    }

    @Test
    void stopReturnsFalseAtTheDeadlineAndLeavesNoThreadRunning() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Router router = UndertowHttp.newRouter().get("/stuck", ex -> {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        HttpServer server = start(UndertowHttp.server().name("stuck").router(router));
        CompletableFuture<HttpResponse<String>> stuck = getAsync(server, "/stuck");
        assertThat(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        boolean clean = server.stop(Duration.ofMillis(200));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(clean).isFalse();
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(5));
        await().atMost(TIMEOUT).untilTrue(interrupted);
        await().atMost(TIMEOUT).until(() -> !threadsAlive("http-stuck "));
        // The interrupted handler's 500 races the closing connection; either way the client is not left hanging.
        String outcome = stuck.handle((r, e) -> e != null
                        ? "failed with IOException " + ((e instanceof CompletionException ? e.getCause() : e) instanceof IOException)
                        : "status " + r.statusCode())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(outcome).isIn("failed with IOException true", "status 500");
    }

    @Test
    void bodyOverTheLimitThrowsPayloadTooLargeForFixedAndChunkedBodies() throws Exception {
        Queue<PayloadTooLargeException> caught = new ConcurrentLinkedQueue<>();
        Router router = UndertowHttp.newRouter().post("/upload", ex -> {
            try {
                byte[] body = ex.requestBody();
                ex.send("application/octet-stream", new String(body, StandardCharsets.UTF_8));
            } catch (PayloadTooLargeException e) {
                caught.add(e);
                ex.status(413).send("text/plain", "limit " + e.limit());
            }
        });
        HttpServer server = start(UndertowHttp.server().name("limit").maxRequestBodyBytes(16).router(router));

        assertThat(post(server, fixed("0123456789abcdef")).body()).isEqualTo("0123456789abcdef");
        assertThat(post(server, chunked("0123456789abcdef")).body()).isEqualTo("0123456789abcdef");
        assertThat(caught).isEmpty();

        HttpResponse<String> fixedTooLarge = post(server, fixed("0123456789abcdefX"));
        assertThat(fixedTooLarge.statusCode()).isEqualTo(413);
        assertThat(fixedTooLarge.body()).isEqualTo("limit 16");

        HttpResponse<String> chunkedTooLarge = post(server, chunked("0123456789abcdef".repeat(4)));
        assertThat(chunkedTooLarge.statusCode()).isEqualTo(413);

        assertThat(caught).hasSize(2).allSatisfy(e -> assertThat(e.limit()).isEqualTo(16));
    }

    @Test
    void handlerIgnoringAnAnnouncedHugeBodyStillAnswersAndTheConnectionThenCloses() throws Exception {
        Router router = UndertowHttp.newRouter()
                .post("/ignore", ex -> ex.status(202))
                .post("/reply", ex -> ex.send("text/plain", "ok"));
        HttpServer server = start(UndertowHttp.server().name("drainlimit").maxRequestBodyBytes(16).router(router));

        // 10 MB announced, 3 bytes sent: the response must not wait for a body that never comes.
        for (String path : List.of("/ignore", "/reply")) {
            try (HttpRawConnection connection = new HttpRawConnection(server.address())) {
                HttpRawConnection.Response response = connection.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: 10000000\r\n\r\nabc");
                assertThat(response.status()).isEqualTo(path.equals("/ignore") ? 202 : 200);
                assertThat(connection.isClosedByServer()).isTrue();
            }
        }

        // A small unread body is drained as usual and the connection stays usable.
        try (HttpRawConnection connection = new HttpRawConnection(server.address())) {
            assertThat(connection.send("POST /reply HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc")
                    .body()).isEqualTo("ok");
            assertThat(connection.get("/nothing").status()).isEqualTo(404);
        }
    }

    private static HttpRequest.BodyPublisher fixed(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    private static HttpRequest.BodyPublisher chunked(String body) {
        // An InputStream publisher has no known length, so the client sends Transfer-Encoding: chunked.
        return HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> post(HttpServer server, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(server, "/upload")).timeout(TIMEOUT).POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void portInUseFailsWithOneLineNamingHostAndPortAndLeavesNothingRunning() throws Exception {
        HttpServer first = start(UndertowHttp.server().name("first"));
        int port = first.address().getPort();
        HttpServer second = UndertowHttp.server().name("busy").host("127.0.0.1").port(port).build();
        servers.add(second);

        assertThatThrownBy(second::start)
                .isInstanceOf(BindException.class)
                .hasMessageContaining("'busy'")
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("in use")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        await().atMost(TIMEOUT).until(() -> !threadsAlive("http-busy "));
        assertThat(second.stop(Duration.ofSeconds(1))).isTrue();
        assertThat(get(first, "/x").statusCode()).isEqualTo(404);
    }

    @Test
    void mountedHandlerWinsItsPrefixAndRunsInsideTheMiddlewareOnTheIoThread() throws Exception {
        Queue<String> routes = new ConcurrentLinkedQueue<>();
        AtomicReference<String> mountView = new AtomicReference<>();
        Router router = UndertowHttp.newRouter()
                .use(next -> ex -> {
                    routes.add(ex.route());
                    if (ex.requestHeader("X-Deny").isPresent()) {
                        ex.status(429);
                        return;
                    }
                    ex.attribute(ExchangeAttributes.REQUEST_ID, "rid-7").responseHeader("X-Request-ID", "rid-7");
                    next.handle(ex);
                })
                .get("/ws/info", ex -> ex.send("text/plain", "router ws"))
                .get("/other", ex -> ex.send("text/plain", "router other"));
        AtomicReference<HttpServerExchange> lastRaw = new AtomicReference<>();
        io.undertow.server.HttpHandler mounted = raw -> {
            lastRaw.set(raw);
            mountView.set(raw.isInIoThread() + " " + raw.isBlocking() + " "
                    + UndertowHttpExchange.of(raw).flatMap(e -> e.attribute(ExchangeAttributes.REQUEST_ID)).orElse("-")
                    + " " + raw.getRelativePath());
            raw.getResponseSender().send("mounted");
        };
        HttpServer server = start(UndertowHttp.server().name("mount").router(router).mount("/ws", mounted));

        HttpResponse<String> ws = get(server, "/ws/info");
        assertThat(ws.body()).isEqualTo("mounted");
        // Once the exchange is over (an upgraded one stays reachable from its socket), the port
        // exchange with its attributes is no longer attached.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(UndertowHttpExchange.of(lastRaw.get())).isEmpty());
        assertThat(ws.headers().firstValue("X-Request-ID")).hasValue("rid-7");
        assertThat(mountView.get()).isEqualTo("true false rid-7 /info");
        assertThat(get(server, "/other").body()).isEqualTo("router other");
        assertThat(get(server, "/wsx").statusCode()).isEqualTo(404);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(routes).containsExactly("/ws", "/other", "NOT_FOUND"));

        mountView.set(null);
        HttpResponse<String> denied = client.send(HttpRequest.newBuilder(uri(server, "/ws")).timeout(TIMEOUT)
                .header("X-Deny", "1").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(429);
        assertThat(mountView.get()).isNull();
    }

    @Test
    void unhandledExceptionBecomesA500ProblemWithoutInternalsAndTheServerKeepsServing() throws Exception {
        Router router = UndertowHttp.newRouter()
                .get("/boom", ex -> {
                    throw new IllegalStateException("secret internals");
                })
                .get("/ok", ex -> ex.send("text/plain", "ok"));
        HttpServer server = start(UndertowHttp.server().name("boom").router(router));

        HttpResponse<String> response = get(server, "/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
        assertThat(response.body()).contains("\"status\":500").doesNotContain("secret");
        assertThat(get(server, "/ok").body()).isEqualTo("ok");
    }

    @Test
    void builderRejectsBadSettingsWithClearMessages() {
        UndertowHttp.ServerBuilder builder = UndertowHttp.server();
        assertThatThrownBy(() -> builder.port(70_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be within 0..65535, was 70000");
        assertThatThrownBy(() -> builder.host(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host");
        assertThatThrownBy(() -> builder.maxRequestBodyBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRequestBodyBytes");
        assertThatThrownBy(() -> builder.workerThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workerThreads");
        assertThatThrownBy(() -> builder.mount("ws", exchange -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ws'");
        builder.mount("/ws", exchange -> { });
        assertThatThrownBy(() -> builder.mount("/ws/", exchange -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already mounted");
        Router foreign = new Router() {
            @Override
            public Router route(String method, String pathTemplate, io.signaling.ports.http.HttpHandler handler) {
                return this;
            }

            @Override
            public Router use(io.signaling.ports.http.Middleware middleware) {
                return this;
            }
        };
        assertThatThrownBy(() -> builder.router(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UndertowHttp.newRouter()");
    }
}
