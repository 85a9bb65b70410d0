package io.signaling.application.http;

import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.log.Logger;
import io.signaling.ports.testing.FakeHttpExchange;
import io.signaling.ports.testing.RecordingMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsMiddlewareTest {

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final AtomicReference<Double> activeInHandler = new AtomicReference<>();
    private final MetricsMiddleware middleware = new MetricsMiddleware(metrics, Logger.noop(), 3);
    private final HttpHandler handler = middleware.wrap(exchange -> {
        activeInHandler.set(metrics.gaugeValue("http.server.active.requests").orElseThrow());
        String status = exchange.queryParameter("status").orElse("200");
        if (status.equals("throw")) {
            throw new IllegalArgumentException("bad");
        }
        exchange.status(Integer.parseInt(status));
    });

    private Map<String, String> onlyTags() {
        assertThat(metrics.timers("http.server.requests")).hasSize(1);
        return metrics.timers("http.server.requests").keySet().iterator().next();
    }

    @Test
    void aRequestIsTimedWithTheSpringBootTags() throws Exception {
        handler.handle(FakeHttpExchange.get("/rooms/42").route("/rooms/{id}"));

        assertThat(onlyTags()).isEqualTo(Map.of(
                "method", "GET", "uri", "/rooms/{id}", "status", "200", "outcome", "SUCCESS", "exception", "none"));
        assertThat(metrics.timer("http.server.requests", "uri", "/rooms/{id}").orElseThrow().count()).isEqualTo(1);
    }

    @Test
    void unmatchedRequestsAreNotFoundNeverTheRawPath() throws Exception {
        handler.handle(FakeHttpExchange.get("/wp-login.php").notFound().queryParameter("status", "404"));

        assertThat(onlyTags()).containsEntry("uri", "NOT_FOUND").containsEntry("status", "404")
                .containsEntry("outcome", "CLIENT_ERROR");
    }

    @Test
    void theRootTemplateIsRoot() throws Exception {
        handler.handle(FakeHttpExchange.get("/"));

        assertThat(onlyTags()).containsEntry("uri", "root");
    }

    @Test
    void redirectsAreRedirection() throws Exception {
        handler.handle(FakeHttpExchange.get("/old").queryParameter("status", "302"));

        assertThat(onlyTags()).containsEntry("uri", "REDIRECTION").containsEntry("outcome", "REDIRECTION");
    }

    @Test
    void aThrowingHandlerIsAServerErrorTaggedWithTheExceptionAndRethrown() {
        assertThatThrownBy(() -> handler.handle(FakeHttpExchange.get("/x").queryParameter("status", "throw")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(onlyTags()).containsEntry("status", "500").containsEntry("outcome", "SERVER_ERROR")
                .containsEntry("exception", "IllegalArgumentException");
    }

    @Test
    void distinctUrisAreCappedAndTheRestIsOther() throws Exception {
        for (String route : new String[] {"/a", "/b", "/c", "/d", "/e", "/a"}) {
            handler.handle(FakeHttpExchange.get(route));
        }
        handler.handle(FakeHttpExchange.get("/nope").notFound().queryParameter("status", "404"));

        assertThat(metrics.timers("http.server.requests").keySet()).extracting(tags -> tags.get("uri"))
                .containsExactlyInAnyOrder("/a", "/b", "/c", "OTHER", "NOT_FOUND");
        assertThat(metrics.timer("http.server.requests", "uri", "OTHER").orElseThrow().count()).isEqualTo(2);
        assertThat(metrics.timer("http.server.requests", "uri", "/a").orElseThrow().count()).isEqualTo(2);
    }

    @Test
    void unknownMethodsAreOther() throws Exception {
        handler.handle(new FakeHttpExchange("BREW", "/coffee"));

        assertThat(onlyTags()).containsEntry("method", "_OTHER");
    }

    @Test
    void theActiveGaugeCountsRequestsInFlight() throws Exception {
        assertThat(metrics.gaugeValue("http.server.active.requests")).hasValue(0.0);

        handler.handle(FakeHttpExchange.get("/a"));

        assertThat(activeInHandler).hasValue(1.0);
        assertThat(metrics.gaugeValue("http.server.active.requests")).hasValue(0.0);
        assertThat(middleware.activeRequests()).isZero();
    }

    @Test
    void timersAreLookedUpOncePerTagCombination() throws Exception {
        for (int i = 0; i < 50; i++) {
            handler.handle(FakeHttpExchange.get("/a"));
        }

        assertThat(metrics.lookups()).isEqualTo(1);
        assertThat(metrics.timer("http.server.requests", "uri", "/a").orElseThrow().count()).isEqualTo(50);
    }

    @ParameterizedTest
    @CsvSource({"101,INFORMATIONAL", "200,SUCCESS", "204,SUCCESS", "301,REDIRECTION", "400,CLIENT_ERROR",
            "499,CLIENT_ERROR", "500,SERVER_ERROR", "599,SERVER_ERROR", "600,UNKNOWN", "42,UNKNOWN"})
    void outcomeFollowsTheStatusClass(int status, String outcome) {
        assertThat(MetricsMiddleware.outcome(status)).isEqualTo(outcome);
    }

    @Test
    void eachRequestOfOneRouteIsTimedUnderItsOwnStatusAndException() throws Exception {
        for (String status : new String[] {"200", "404", "200", "throw", "200", "404"}) {
            FakeHttpExchange exchange = FakeHttpExchange.get("/a").queryParameter("status", status);
            try {
                handler.handle(exchange);
            } catch (IllegalArgumentException expected) {
                // counted as a 500 below
            }
        }

        assertThat(metrics.timer("http.server.requests", "uri", "/a", "status", "200", "exception", "none")
                .orElseThrow().count()).isEqualTo(3);
        assertThat(metrics.timer("http.server.requests", "uri", "/a", "status", "404").orElseThrow().count())
                .isEqualTo(2);
        assertThat(metrics.timer("http.server.requests", "uri", "/a", "status", "500",
                "exception", "IllegalArgumentException").orElseThrow().count()).isEqualTo(1);
    }
}
