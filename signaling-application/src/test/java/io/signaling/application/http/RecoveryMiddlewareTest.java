package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.PayloadTooLargeException;
import io.signaling.ports.log.Logger.Level;
import io.signaling.ports.testing.FakeHttpExchange;
import io.signaling.ports.testing.RecordingLogger;
import io.signaling.ports.testing.RecordingMetrics;
import io.signaling.ports.testing.RecordingTracer;
import io.signaling.ports.testing.StrictJson;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class RecoveryMiddlewareTest {

    private final RecordingLogger logger = new RecordingLogger();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final RecordingTracer tracer = new RecordingTracer();
    private final HttpHandler handler = new RecoveryMiddleware(logger, metrics).wrap(exchange -> {
        switch (exchange.path()) {
            case "/boom" -> throw new IllegalStateException("db password is hunter2");
            case "/error" -> throw new AssertionError("an Error, not an Exception");
            case "/upload" -> exchange.requestBody();
            case "/half" -> {
                exchange.send("text/plain", "partial");
                throw new IllegalStateException("after the response started");
            }
            default -> exchange.send("text/plain", "fine");
        }
    });

    private FakeHttpExchange exchange(String path) {
        FakeHttpExchange exchange = FakeHttpExchange.get(path);
        exchange.attribute(ExchangeAttributes.REQUEST_ID, "req-1");
        return exchange;
    }

    @Test
    void aThrowingHandlerBecomesAProblem500WithoutInternalsAndTheNextRequestIsFine() throws Exception {
        FakeHttpExchange failed = exchange("/boom");

        assertThatCode(() -> handler.handle(failed)).doesNotThrowAnyException();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.responseHeader("Content-Type")).hasValue("application/problem+json");
        String body = failed.responseBodyAsString();
        Map<String, Object> problem = StrictJson.parseObject(body);
        assertThat(problem).containsEntry("type", "about:blank")
                .containsEntry("title", "Internal Server Error")
                .containsEntry("instance", "/boom")
                .containsEntry("requestId", "req-1");
        assertThat(((Number) problem.get("status")).intValue()).isEqualTo(500);
        assertThat(body).doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("at io.");

        FakeHttpExchange next = exchange("/ok");
        handler.handle(next);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.responseBodyAsString()).isEqualTo("fine");
    }

    @Test
    void theErrorIsLoggedWithItsStackAndRequestIdCountedAndTagged() throws Exception {
        FakeHttpExchange failed = exchange("/boom");

        handler.handle(failed);
        handler.handle(exchange("/boom"));

        RecordingLogger.Event line = logger.events(Level.ERROR).get(0);
        assertThat(line.message()).isEqualTo("unhandled exception");
        assertThat(line.error()).isInstanceOf(IllegalStateException.class).hasMessageContaining("hunter2");
        assertThat(line.get("request_id")).isEqualTo("req-1");
        assertThat(line.get("path")).isEqualTo("/boom");
        assertThat(metrics.counter("http.server.errors", "exception", "IllegalStateException").orElseThrow().count())
                .isEqualTo(2.0);
        assertThat(failed.attribute(ExchangeAttributes.EXCEPTION)).hasValue("IllegalStateException");
    }

    @Test
    void theServerSpanRecordsTheError() throws Exception {
        Span span = tracer.spanBuilder("GET /boom").start();
        FakeHttpExchange failed = exchange("/boom");
        failed.attribute(ExchangeAttributes.SERVER_SPAN, span);

        handler.handle(failed);

        RecordingTracer.RecordedSpan recorded = tracer.span("GET /boom");
        assertThat(recorded.errors()).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(recorded.status()).isEqualTo(SpanStatus.ERROR);
    }

    @Test
    void errorsAreRecoveredToo() throws Exception {
        FakeHttpExchange failed = exchange("/error");

        assertThatCode(() -> handler.handle(failed)).doesNotThrowAnyException();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(metrics.counter("http.server.errors", "exception", "AssertionError")).isPresent();
    }

    @Test
    void anOversizedBodyIsA413ProblemAndNotAServerError() throws Exception {
        FakeHttpExchange upload = new FakeHttpExchange("POST", "/upload")
                .body("x".repeat(100).getBytes(StandardCharsets.UTF_8)).bodyLimit(10);

        handler.handle(upload);

        assertThat(upload.status()).isEqualTo(413);
        Map<String, Object> problem = StrictJson.parseObject(upload.responseBodyAsString());
        assertThat(problem).containsEntry("title", "Content Too Large")
                .containsEntry("detail", "The request body exceeds the limit of 10 bytes.");
        assertThat(metrics.counters("http.server.errors")).isEmpty();
        assertThat(logger.events(Level.ERROR)).isEmpty();
        assertThat(upload.attribute(ExchangeAttributes.EXCEPTION)).hasValue(PayloadTooLargeException.class.getSimpleName());
    }

    @Test
    void aFailureAfterTheResponseStartedIsLoggedAndCountedButTheResponseIsLeftAlone() throws Exception {
        FakeHttpExchange half = exchange("/half");

        assertThatCode(() -> handler.handle(half)).doesNotThrowAnyException();

        assertThat(half.status()).isEqualTo(200);
        assertThat(half.responseBodyAsString()).isEqualTo("partial");
        assertThat(logger.events(Level.ERROR)).singleElement()
                .satisfies(e -> assertThat(e.get("response_started")).isEqualTo(true));
        assertThat(metrics.counter("http.server.errors", "exception", "IllegalStateException")).isPresent();
    }

    @Test
    void withoutARequestIdTheProblemOmitsIt() throws Exception {
        FakeHttpExchange failed = FakeHttpExchange.get("/boom");

        handler.handle(failed);

        assertThat(StrictJson.parseObject(failed.responseBodyAsString())).doesNotContainKey("requestId");
    }
}
