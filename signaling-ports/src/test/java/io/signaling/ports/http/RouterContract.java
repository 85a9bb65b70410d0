package io.signaling.ports.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link Router} adapter owes the application, checked over real HTTP with
 * the JDK client. An adapter's test extends this class and says how to make a router and how to
 * serve it on a free local port.
 */
public abstract class RouterContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A new, empty router of the adapter under test. */
    protected abstract Router newRouter();

    /** Serves {@code router} on 127.0.0.1 and a free port; the router freezes here. */
    protected abstract RunningServer start(Router router) throws Exception;

    private ExecutorService clientExecutor;
    private HttpClient client;
    private RunningServer server;

    @BeforeEach
    void createClient() {
        clientExecutor = Executors.newCachedThreadPool();
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .executor(clientExecutor)
                .build();
    }

    @AfterEach
    void stopServerAndClient() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            clientExecutor.shutdownNow();
            assertThat(clientExecutor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void serve(Router router) throws Exception {
        server = start(router);
    }

    private HttpResponse<String> request(String method, String pathAndQuery, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + pathAndQuery))
                .timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return request("GET", pathAndQuery, null);
    }

    @Test
    void templateVariablesBecomePathParametersAndTheRouteIsTheTemplate() throws Exception {
        serve(newRouter().get("/rooms/{room}/peers/{peer}", ex -> ex.send("text/plain",
                ex.route() + "|" + ex.pathParameters().get("room") + "|" + ex.pathParameters().get("peer"))));

        HttpResponse<String> response = get("/rooms/r1/peers/p-2");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("/rooms/{room}/peers/{peer}|r1|p-2");
    }

    @Test
    void aNonBlockingHandlerServesLikeAnyOtherBehindTheMiddleware() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        serve(newRouter()
                .use(next -> ex -> {
                    seen.add(ex.route());
                    next.handle(ex);
                })
                .get("/live/{probe}", NonBlockingHttpHandler.of(ex -> {
                    ex.responseHeader("X-Probe", ex.pathParameters().get("probe"));
                    ex.send("application/json", "{\"status\":\"UP\"}");
                })));

        HttpResponse<String> get = get("/live/k8s");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get.headers().firstValue("X-Probe")).contains("k8s");
        HttpResponse<String> head = request("HEAD", "/live/k8s", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(seen).containsExactly("/live/{probe}", "/live/{probe}");
    }

    @Test
    void pathParametersArePercentDecoded() throws Exception {
        serve(newRouter().get("/rooms/{room}", ex -> ex.send("text/plain", ex.pathParameters().get("room"))));

        assertThat(get("/rooms/caf%C3%A9%20bar").body()).isEqualTo("café bar");
    }

    @Test
    void anEmptySegmentDoesNotMatchATemplateVariable() throws Exception {
        serve(newRouter().get("/rooms/{room}", ex -> ex.send("text/plain", "room")));

        assertThat(get("/rooms/").statusCode()).isEqualTo(404);
        assertThat(get("/rooms").statusCode()).isEqualTo(404);
        assertThat(get("/rooms/r").statusCode()).isEqualTo(200);
    }

    @Test
    void literalTemplateHasNoParametersAndBeatsAVariableOne() throws Exception {
        serve(newRouter()
                .get("/rooms/{room}", ex -> ex.send("text/plain", "variable " + ex.pathParameters().get("room")))
                .get("/rooms/new", ex -> ex.send("text/plain", "literal " + ex.pathParameters())));

        assertThat(get("/rooms/new").body()).isEqualTo("literal {}");
        assertThat(get("/rooms/old").body()).isEqualTo("variable old");
    }

    @Test
    void queryParametersKeepEveryValueInOrderDecoded() throws Exception {
        AtomicReference<Map<String, List<String>>> seen = new AtomicReference<>();
        AtomicReference<String> first = new AtomicReference<>();
        serve(newRouter().get("/search", ex -> {
            seen.set(ex.queryParameters());
            first.set(ex.queryParameter("a").orElseThrow() + "," + ex.queryParameter("missing").orElse("none"));
            ex.send(new byte[0]);
        }));

        assertThat(get("/search?a=1&b=x%20y&a=2").statusCode()).isEqualTo(200);

        assertThat(seen.get()).containsEntry("a", List.of("1", "2")).containsEntry("b", List.of("x y"));
        assertThat(first.get()).isEqualTo("1,none");
    }

    @Test
    void handlerReadsHeadersAndBodyAndSetsStatusHeadersAndBody() throws Exception {
        AtomicReference<String> method = new AtomicReference<>();
        serve(newRouter().post("/echo", ex -> {
            method.set(ex.method());
            String body = new String(ex.requestBody(), StandardCharsets.UTF_8);
            ex.status(201).responseHeader("X-Echo", ex.requestHeader("x-test").orElse("absent"));
            ex.send("text/plain; charset=utf-8", new StringBuilder(body).reverse().toString());
        }));

        HttpResponse<String> response = request("POST", "/echo", "héllo", "X-Test", "v1");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Echo")).hasValue("v1");
        assertThat(response.body()).isEqualTo("olléh");
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .hasValue("olléh".getBytes(StandardCharsets.UTF_8).length);
        assertThat(method.get()).isEqualTo("POST");
    }

    @Test
    void handlerThatReturnsWithoutSendingEndsWithItsStatus() throws Exception {
        serve(newRouter().route("DELETE", "/rooms/{room}", ex -> ex.status(204)));

        HttpResponse<String> response = request("DELETE", "/rooms/r1", null);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void unmatchedPathIsA404ProblemThroughTheMiddleware() throws Exception {
        Queue<String> routes = new ConcurrentLinkedQueue<>();
        serve(newRouter()
                .use(next -> ex -> {
                    ex.attribute(ExchangeAttributes.REQUEST_ID, "rid-404");
                    routes.add(ex.route());
                    next.handle(ex);
                })
                .get("/rooms/{room}", ex -> ex.send("text/plain", "room")));

        HttpResponse<String> response = get("/nothing/here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
        assertThat(response.body())
                .contains("\"status\":404", "\"title\":\"Not Found\"", "\"instance\":\"/nothing/here\"",
                        "\"requestId\":\"rid-404\"");
        assertThat(routes).containsExactly(Routes.NOT_FOUND);
    }

    @Test
    void knownPathWithAnotherMethodIsA405ProblemWithAllow() throws Exception {
        Queue<String> routes = new ConcurrentLinkedQueue<>();
        serve(newRouter()
                .use(next -> ex -> {
                    routes.add(ex.route());
                    next.handle(ex);
                })
                .get("/items/{id}", ex -> ex.send("text/plain", "get"))
                .post("/items/{id}", ex -> ex.send("text/plain", "post")));

        HttpResponse<String> response = request("DELETE", "/items/7", null);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
        assertThat(response.body()).contains("\"status\":405", "\"instance\":\"/items/7\"");
        Set<String> allowed = Arrays.stream(response.headers().firstValue("Allow").orElseThrow().split(","))
                .map(String::trim).collect(Collectors.toSet());
        assertThat(allowed).containsExactlyInAnyOrder("GET", "HEAD", "POST");
        assertThat(routes).containsExactly(Routes.METHOD_NOT_ALLOWED);
    }

    @Test
    void headIsServedByTheGetRouteWithoutBody() throws Exception {
        Queue<String> methods = new ConcurrentLinkedQueue<>();
        serve(newRouter().get("/hello", ex -> {
            methods.add(ex.method());
            ex.send("text/plain", "hello world");
        }));

        HttpResponse<String> response = request("HEAD", "/hello", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(11);
        assertThat(methods).containsExactly("HEAD");
        assertThat(get("/hello").body()).isEqualTo("hello world");
    }

    @Test
    void middlewareRunsInOrderAddedFirstOutermostOnRoutesAndFallbacks() throws Exception {
        Queue<String> trail = new ConcurrentLinkedQueue<>();
        serve(newRouter()
                .use(next -> ex -> {
                    trail.add("a>" + ex.route());
                    next.handle(ex);
                    trail.add("<a");
                })
                .use(next -> ex -> {
                    trail.add("b>");
                    next.handle(ex);
                    trail.add("<b");
                })
                .get("/x", ex -> {
                    trail.add("handler");
                    ex.send(new byte[0]);
                }));

        assertThat(get("/x").statusCode()).isEqualTo(200);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(trail).containsExactly("a>/x", "b>", "handler", "<b", "<a"));

        trail.clear();
        assertThat(get("/missing").statusCode()).isEqualTo(404);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(trail).containsExactly("a>" + Routes.NOT_FOUND, "b>", "<b", "<a"));
    }

    @Test
    void handlerExceptionPropagatesToTheMiddleware() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<Throwable> caught = new AtomicReference<>();
        serve(newRouter()
                .use(next -> ex -> {
                    try {
                        next.handle(ex);
                    } catch (Exception e) {
                        caught.set(e);
                        ex.status(500).send("text/plain", "caught " + e.getMessage());
                    }
                })
                .get("/fail", ex -> {
                    throw boom;
                }));

        HttpResponse<String> response = get("/fail");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("caught boom");
        assertThat(caught.get()).isSameAs(boom);
    }

    @Test
    void middlewareSeesTheStatusAndBytesTheHandlerSent() throws Exception {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        serve(newRouter()
                .use(next -> ex -> {
                    seen.add("before " + ex.status() + " " + ex.isResponseStarted() + " " + ex.responseBytes());
                    next.handle(ex);
                    seen.add("after " + ex.status() + " " + ex.isResponseStarted() + " " + ex.responseBytes());
                })
                .post("/created", ex -> ex.status(201).send("text/plain", "12345")));

        assertThat(request("POST", "/created", "").statusCode()).isEqualTo(201);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(seen).containsExactly("before 200 false 0", "after 201 true 5"));
    }

    @Test
    void exchangeReportsAddressesAndScheme() throws Exception {
        serve(newRouter().get("/who", ex -> ex.send("text/plain",
                ex.remoteAddress().getAddress().getHostAddress() + " " + ex.localAddress().getPort() + " "
                        + ex.scheme() + " " + ex.path())));

        assertThat(get("/who?x=1").body())
                .isEqualTo("127.0.0.1 " + server.baseUri().getPort() + " http /who");
    }

    @Test
    void attributesSetByMiddlewareReachTheHandler() throws Exception {
        AttributeKey<String> user = AttributeKey.of("user", String.class);
        serve(newRouter()
                .use(next -> ex -> next.handle(ex.attribute(user, "alice")))
                .get("/me", ex -> ex.send("text/plain", ex.attribute(user).orElse("nobody"))));

        assertThat(get("/me").body()).isEqualTo("alice");
    }

    @Test
    void attributesAreKeptPerKeyInstanceReplacedAndRemovedByNull() throws Exception {
        // More keys than a request usually carries, two with the same name (keys are instances).
        List<AttributeKey<Integer>> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add(AttributeKey.of(i == 9 ? "k0" : "k" + i, Integer.class));
        }
        serve(newRouter().get("/attrs", ex -> {
            for (int i = 0; i < keys.size(); i++) {
                ex.attribute(keys.get(i), i);
            }
            ex.attribute(keys.get(3), 33);
            ex.attribute(keys.get(5), null);
            ex.attribute(keys.get(0), null);
            ex.attribute(keys.get(7), null);
            ex.attribute(keys.get(7), 77);
            ex.attribute(AttributeKey.of("never-set", Integer.class), null);
            StringBuilder seen = new StringBuilder();
            for (AttributeKey<Integer> key : keys) {
                seen.append(ex.attribute(key).map(String::valueOf).orElse("-")).append(' ');
            }
            ex.send("text/plain", seen.toString().trim());
        }));

        assertThat(get("/attrs").body()).isEqualTo("- 1 2 33 4 - 6 77 8 9");
    }

    @Test
    void registeringAfterTheServerStartedFails() throws Exception {
        Router router = newRouter().get("/a", ex -> ex.send(new byte[0]));
        serve(router);

        assertThatThrownBy(() -> router.get("/b", ex -> ex.send(new byte[0])))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> router.use(next -> next))
                .isInstanceOf(IllegalStateException.class);
        assertThat(get("/b").statusCode()).isEqualTo(404);
    }

    @Test
    void duplicateAndMalformedRoutesAreRejectedAtRegistration() {
        Router router = newRouter().get("/rooms/{room}", ex -> ex.send(new byte[0]));

        assertThatThrownBy(() -> router.get("/rooms/{room}", ex -> ex.send(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/rooms/{room}");
        assertThatThrownBy(() -> router.post("/rooms/{name}", ex -> ex.send(new byte[0])))
                .as("a template equal but for its variable names would shadow the first")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/rooms/{name}");
        assertThatThrownBy(() -> router.get("rooms", ex -> ex.send(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rooms");
        assertThatThrownBy(() -> router.get("/rooms/{room", ex -> ex.send(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
