package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.log.Logger;
import io.signaling.ports.testing.FakeHttpExchange;
import io.signaling.ports.testing.RecordingTracer;
import io.signaling.ports.testing.RecordingTracer.RecordedSpan;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.TraceContext;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracingMiddlewareTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";

    private final RecordingTracer tracer = new RecordingTracer();
    private final AtomicReference<TraceContext> currentInHandler = new AtomicReference<>();
    private final AtomicInteger statusToSet = new AtomicInteger(200);
    private final HttpHandler handler = new TracingMiddleware(tracer, Logger.noop()).wrap(exchange -> {
        currentInHandler.set(tracer.current());
        if (exchange.path().equals("/throw")) {
            throw new IllegalStateException("boom");
        }
        exchange.status(statusToSet.get());
    });

    private static FakeHttpExchange roomRequest() {
        return FakeHttpExchange.get("/rooms/42").route("/rooms/{id}")
                .header("Host", "signal.example.com:8443")
                .header("User-Agent", "curl/8.5")
                .remoteAddress(new InetSocketAddress("127.0.0.1", 40000))
                .scheme("https");
    }

    @Test
    void oneServerSpanNamedByMethodAndRouteTemplateWithSemconvAttributes() throws Exception {
        FakeHttpExchange exchange = roomRequest();
        exchange.attribute(ExchangeAttributes.REQUEST_ID, "req-7");

        handler.handle(exchange);

        RecordedSpan span = tracer.span("GET /rooms/{id}");
        assertThat(tracer.spans()).hasSize(1);
        assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
        assertThat(span.isEnded()).isTrue();
        assertThat(span.attributes())
                .containsEntry("http.request.method", "GET")
                .containsEntry("http.route", "/rooms/{id}")
                .containsEntry("url.path", "/rooms/42")
                .containsEntry("url.scheme", "https")
                .containsEntry("server.address", "signal.example.com")
                .containsEntry("server.port", 8443L)
                .containsEntry("user_agent.original", "curl/8.5")
                .containsEntry("client.address", "127.0.0.1")
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("request.id", "req-7");
        assertThat(span.status()).isEqualTo(SpanStatus.UNSET);
        assertThat(exchange.attribute(ExchangeAttributes.SERVER_SPAN)).containsSame(span);
    }

    @Test
    void theSpanIsCurrentAroundTheHandlerAndNotAfter() throws Exception {
        handler.handle(roomRequest());

        RecordedSpan span = tracer.span("GET /rooms/{id}");
        assertThat(currentInHandler.get()).isEqualTo(span.context());
        assertThat(tracer.current().isValid()).isFalse();
    }

    @Test
    void theParentComesFromAnIncomingTraceparent() throws Exception {
        FakeHttpExchange exchange = roomRequest().header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");

        handler.handle(exchange);

        RecordedSpan span = tracer.span("GET /rooms/{id}");
        assertThat(span.parent()).isNotNull();
        assertThat(span.parent().traceId()).isEqualTo(TRACE_ID);
        assertThat(span.parent().spanId()).isEqualTo(PARENT_SPAN);
        assertThat(span.context().traceId()).isEqualTo(TRACE_ID);
    }

    @Test
    void withoutTraceparentTheSpanIsARootEvenIfTheWorkerThreadCarriesAContext() throws Exception {
        RecordedSpan leaked = (RecordedSpan) tracer.spanBuilder("leaked").start();
        try (Scope ignored = leaked.makeCurrent()) {
            handler.handle(roomRequest());
        }

        RecordedSpan span = tracer.span("GET /rooms/{id}");
        assertThat(span.parent()).isNull();
        assertThat(span.context().traceId()).isNotEqualTo(leaked.context().traceId());
    }

    @Test
    void theResponseCarriesATraceresponseHeader() throws Exception {
        FakeHttpExchange exchange = roomRequest().header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");

        handler.handle(exchange);

        RecordedSpan span = tracer.span("GET /rooms/{id}");
        assertThat(exchange.responseHeader("traceresponse"))
                .hasValue("00-" + TRACE_ID + "-" + span.context().spanId() + "-01");
        assertThat(exchange.responseHeader("traceresponse").orElseThrow())
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    }

    @Test
    void anUnsampledTraceIsFlaggedSo() throws Exception {
        FakeHttpExchange exchange = roomRequest().header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-00");

        handler.handle(exchange);

        assertThat(exchange.responseHeader("traceresponse").orElseThrow()).endsWith("-00");
    }

    @Test
    void anUnmatchedRouteIsNamedByTheMethodAloneNeverByTheRawPath() throws Exception {
        statusToSet.set(404);
        handler.handle(FakeHttpExchange.get("/wp-admin/secret.php").notFound());

        RecordedSpan span = tracer.spans().get(0);
        assertThat(span.name()).isEqualTo("GET");
        assertThat(span.attributes()).doesNotContainKey("http.route")
                .containsEntry("url.path", "/wp-admin/secret.php")
                .containsEntry("http.response.status_code", 404L);
        assertThat(span.status()).as("4xx is not a server error").isEqualTo(SpanStatus.UNSET);
    }

    @Test
    void anUnknownMethodIsOther() throws Exception {
        handler.handle(new FakeHttpExchange("BREW", "/coffee").notFound());

        RecordedSpan span = tracer.spans().get(0);
        assertThat(span.name()).isEqualTo("HTTP");
        assertThat(span.attributes()).containsEntry("http.request.method", "_OTHER")
                .containsEntry("http.request.method_original", "BREW");
    }

    @Test
    void a5xxStatusMarksTheSpanAsError() throws Exception {
        statusToSet.set(503);
        handler.handle(roomRequest());

        RecordedSpan span = tracer.span("GET /rooms/{id}");
        assertThat(span.status()).isEqualTo(SpanStatus.ERROR);
        assertThat(span.attributes()).containsEntry("http.response.status_code", 503L)
                .containsEntry("error.type", "503");
    }

    @Test
    void aThrownErrorIsRecordedAsA500AndRethrownForRecovery() {
        FakeHttpExchange exchange = FakeHttpExchange.get("/throw");

        assertThatThrownBy(() -> handler.handle(exchange)).isInstanceOf(IllegalStateException.class);

        RecordedSpan span = tracer.span("GET /throw");
        assertThat(span.isEnded()).isTrue();
        assertThat(span.errors()).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(span.status()).isEqualTo(SpanStatus.ERROR);
        assertThat(span.attributes()).containsEntry("http.response.status_code", 500L)
                .containsEntry("error.type", "java.lang.IllegalStateException");
        assertThat(tracer.current().isValid()).isFalse();
    }

    @Test
    void withoutAHostHeaderTheListenerAddressIsUsed() throws Exception {
        handler.handle(FakeHttpExchange.get("/x").localAddress(new InetSocketAddress("127.0.0.1", 9090)));

        assertThat(tracer.spans().get(0).attributes()).containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", 9090L);
    }

    @Test
    void anUntracedRouteStartsNoSpanAndOtherRoutesKeepTheirs() throws Exception {
        HttpHandler probesUntraced = new TracingMiddleware(tracer, Logger.noop(), java.util.Set.of("/health/live"))
                .wrap(exchange -> currentInHandler.set(tracer.current()));
        FakeHttpExchange probe = FakeHttpExchange.get("/health/live").route("/health/live")
                .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");

        probesUntraced.handle(probe);

        assertThat(tracer.spans()).isEmpty();
        assertThat(probe.responseHeader(TracingMiddleware.TRACERESPONSE)).isEmpty();
        assertThat(probe.attribute(ExchangeAttributes.SERVER_SPAN)).isEmpty();
        assertThat(currentInHandler.get().isValid()).isFalse();

        probesUntraced.handle(roomRequest());
        assertThat(tracer.spans()).extracting(RecordedSpan::name).containsExactly("GET /rooms/{id}");
    }

    @Test
    void oneChainNamesAndDescribesEachRequestByItsOwnMethodAndHost() throws Exception {
        handler.handle(roomRequest());
        handler.handle(new FakeHttpExchange("HEAD", "/rooms/43").route("/rooms/{id}").header("Host", "a.example:81"));
        handler.handle(FakeHttpExchange.get("/rooms/45").route("/rooms/{id}").header("Host", "b.example"));
        handler.handle(new FakeHttpExchange("BREW", "/rooms/44").route("/rooms/{id}").header("Host", "b.example:x"));

        assertThat(tracer.spans()).extracting(RecordedSpan::name)
                .containsExactly("GET /rooms/{id}", "HEAD /rooms/{id}", "GET /rooms/{id}", "HTTP /rooms/{id}");
        assertThat(tracer.spans()).extracting(span -> span.attributes().get("server.address"))
                .containsExactly("signal.example.com", "a.example", "b.example", "b.example");
        assertThat(tracer.spans()).extracting(span -> span.attributes().get("http.request.method"))
                .containsExactly("GET", "HEAD", "GET", "_OTHER");
        assertThat(tracer.spans().get(1).attributes()).containsEntry("server.port", 81L);
        // No port, or a malformed one, in Host: the listener's port is reported.
        assertThat(tracer.spans().get(2).attributes()).containsEntry("server.port", 8080L);
        assertThat(tracer.spans().get(3).attributes()).containsEntry("http.request.method_original", "BREW")
                .containsEntry("server.port", 8080L);
    }
}
