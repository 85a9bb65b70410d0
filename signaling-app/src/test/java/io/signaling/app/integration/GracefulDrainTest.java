package io.signaling.app.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.signaling.domain.lifecycle.LifecycleState;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The graceful shutdown sequence on a real node: readiness fails first while everything else
 * serves, then the listener refuses new connections and answers 503 on open ones, and a request
 * that was in flight all along still completes with 200.
 */
class GracefulDrainTest {

    private static final Duration READINESS_DELAY = Duration.ofSeconds(3);

    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private ObservedNode node;

    @AfterEach
    void cleanUp() throws InterruptedException {
        slowRelease.countDown();
        if (node != null) {
            node.close();
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void inFlightRequestCompletesWhileReadinessFailsAndNewWorkIsRefused() throws Exception {
        node = ObservedNode.builder()
                .flag("shutdown.readiness-delay", READINESS_DELAY.toMillis() + "ms")
                .flag("shutdown.drain-timeout", "10s")
                .flag("shutdown.retry-after", "7s")
                .routes(router -> router
                        .get("/items/{id}", exchange -> {
                            exchange.status(200);
                            exchange.send("text/plain; charset=utf-8", "item " + exchange.pathParameters().get("id"));
                        })
                        .get("/slow", exchange -> {
                            slowEntered.countDown();
                            // Bounded so a broken drain fails the test instead of hanging it.
                            if (!slowRelease.await(20, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("slow request never released");
                            }
                            exchange.status(200);
                            exchange.send("text/plain; charset=utf-8", "slow done");
                        }))
                .start();
        InetSocketAddress publicAddress = node.publicAddress();

        try (KeepAliveConnection idle = new KeepAliveConnection(publicAddress)) {
            assertThat(idle.get("/items/0").status()).isEqualTo(200);

            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return node.get(node.publicUri("/slow"));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            assertThat(slowEntered.await(10, TimeUnit.SECONDS)).as("slow request reached its handler").isTrue();

            long shutdownBegun = System.nanoTime();
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> node.node().shutdown(), threads);

            // Readiness turns 503 at once, on both listeners, saying when to come back.
            await().atMost(Duration.ofSeconds(5)).until(() -> node.node().state() == LifecycleState.DRAINING);
            for (HttpResponse<String> ready : List.of(
                    node.get(node.publicUri("/health/ready")), node.get(node.adminUri("/health/ready")))) {
                assertThat(ready.statusCode()).as(ready.uri().toString()).isEqualTo(503);
                assertThat(ready.headers().firstValue("Retry-After")).hasValue("7");
                assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
                assertThat(ready.body()).startsWith("{\"status\":\"DOWN\"").contains("\"state\":\"DRAINING\"");
            }
            // ... while every other route, on new connections too, still serves normally.
            assertThat(node.get(node.publicUri("/items/1")).statusCode()).isEqualTo(200);
            assertThat(node.get(node.publicUri("/health/live")).statusCode()).isEqualTo(200);
            assertThat(System.nanoTime() - shutdownBegun)
                    .as("the checks above ran within the readiness delay")
                    .isLessThan(READINESS_DELAY.toNanos());
            assertThat(slow).isNotDone();

            // After the delay the listener refuses new connections ...
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> connectionRefused(publicAddress));
            assertThat(System.nanoTime() - shutdownBegun).isGreaterThanOrEqualTo(READINESS_DELAY.toNanos());
            // ... and a new request on a connection opened before answers 503.
            KeepAliveConnection.Response refused = idle.get("/items/2");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");

            // The request in flight since before the shutdown still completes.
            assertThat(slow).isNotDone();
            assertThat(shutdown).isNotDone();
            slowRelease.countDown();
            HttpResponse<String> slowResponse = slow.get(10, TimeUnit.SECONDS);
            assertThat(slowResponse.statusCode()).isEqualTo(200);
            assertThat(slowResponse.body()).isEqualTo("slow done");

            assertThat(shutdown.get(15, TimeUnit.SECONDS)).as("shutdown was clean").isTrue();
            assertThat(node.node().state()).isEqualTo(LifecycleState.STOPPED);
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", node.adminAddress().getPort()).close())
                .as("the admin listener is stopped too")
                .isInstanceOf(ConnectException.class);
    }

    private static boolean connectionRefused(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 1_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
