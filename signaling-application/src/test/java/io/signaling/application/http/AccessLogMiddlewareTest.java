package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.log.Logger.Level;
import io.signaling.ports.testing.FakeHttpExchange;
import io.signaling.ports.testing.RecordingLogger;
import io.signaling.ports.testing.RecordingTracer;
import io.signaling.ports.trace.Span;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessLogMiddlewareTest {

    private final RecordingLogger logger = new RecordingLogger();
    private final HttpHandler respond = exchange -> {
        if (exchange.path().equals("/throw")) {
            throw new IllegalStateException("boom");
        }
        exchange.status(201);
        exchange.send("text/plain", "hello");
    };

    private HttpHandler handler(Set<String> excludes) {
        return new AccessLogMiddleware(logger, excludes).wrap(respond);
    }

    @Test
    void oneInfoLinePerRequestWithEveryField() throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        Span span = tracer.spanBuilder("POST /rooms/{id}").start();
        FakeHttpExchange exchange = new FakeHttpExchange("POST", "/rooms/42").route("/rooms/{id}");
        exchange.attribute(ExchangeAttributes.REQUEST_ID, "req-9");
        exchange.attribute(ExchangeAttributes.SERVER_SPAN, span);

        handler(StandardMiddleware.DEFAULT_ACCESS_LOG_EXCLUDES).handle(exchange);

        assertThat(logger.events()).singleElement().satisfies(line -> {
            assertThat(line.level()).isEqualTo(Level.INFO);
            assertThat(line.message()).isEqualTo("request");
            assertThat(line.get("method")).isEqualTo("POST");
            assertThat(line.get("route")).isEqualTo("/rooms/{id}");
            assertThat(line.get("path")).isEqualTo("/rooms/42");
            assertThat(line.get("status")).isEqualTo(201);
            assertThat(line.get("bytes")).isEqualTo(5L);
            assertThat((Double) line.get("duration_ms")).isGreaterThanOrEqualTo(0.0);
            assertThat(line.get("request_id")).isEqualTo("req-9");
            assertThat(line.get("trace_id")).isEqualTo(span.context().traceId());
        });
    }

    @Test
    void excludedRoutesAreNotLoggedByDefaultProbesAndScrapes() throws Exception {
        HttpHandler handler = handler(StandardMiddleware.DEFAULT_ACCESS_LOG_EXCLUDES);
        for (String route : new String[] {"/health/live", "/health/ready", "/metrics"}) {
            FakeHttpExchange exchange = FakeHttpExchange.get(route);
            handler.handle(exchange);
            assertThat(exchange.status()).as("the excluded request is still served").isEqualTo(201);
        }
        handler.handle(FakeHttpExchange.get("/rooms"));

        assertThat(logger.events()).extracting(e -> e.get("route")).containsExactly("/rooms");
    }

    @Test
    void theExcludeSetIsConfigurable() throws Exception {
        HttpHandler handler = handler(Set.of("/rooms"));

        handler.handle(FakeHttpExchange.get("/rooms"));
        handler.handle(FakeHttpExchange.get("/health/live"));

        assertThat(logger.events()).extracting(e -> e.get("route")).containsExactly("/health/live");
    }

    @Test
    void aThrowingHandlerIsLoggedAsTheComing500AndRethrown() {
        assertThatThrownBy(() -> handler(Set.of()).handle(FakeHttpExchange.get("/throw")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(logger.events()).singleElement().satisfies(line -> assertThat(line.get("status")).isEqualTo(500));
    }

    @Test
    void nothingIsLoggedWhenInfoIsDisabled() throws Exception {
        logger.threshold(Level.WARN);

        handler(Set.of()).handle(FakeHttpExchange.get("/rooms"));

        assertThat(logger.events()).isEmpty();
    }
}
