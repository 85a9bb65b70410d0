package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.testing.FakeHttpExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdMiddlewareTest {

    private final AtomicReference<String> seenByHandler = new AtomicReference<>();
    private final HttpHandler handler = new RequestIdMiddleware(RequestIdMiddleware::randomId)
            .wrap(exchange -> seenByHandler.set(exchange.attribute(ExchangeAttributes.REQUEST_ID).orElse(null)));

    @ParameterizedTest
    @ValueSource(strings = {"abc", "3f2c1a8e-4b7d-4c2a-9e1f-0a1b2c3d4e5f", "01HZY3K9Q8W7E6R5T4Y3U2I1O0",
            "node-1:req.42_x", "A"})
    void aWellFormedIncomingIdIsKept(String id) throws Exception {
        FakeHttpExchange exchange = FakeHttpExchange.get("/").header("x-request-id", id);

        handler.handle(exchange);

        assertThat(exchange.responseHeader("X-Request-ID")).hasValue(id);
        assertThat(exchange.attribute(ExchangeAttributes.REQUEST_ID)).hasValue(id);
        assertThat(seenByHandler).hasValue(id);
    }

    @Test
    void anIdOfExactly128CharactersIsKeptAnd129IsReplaced() throws Exception {
        String max = "a".repeat(128);
        FakeHttpExchange ok = FakeHttpExchange.get("/").header("X-Request-ID", max);
        handler.handle(ok);
        assertThat(ok.responseHeader("X-Request-ID")).hasValue(max);

        FakeHttpExchange tooLong = FakeHttpExchange.get("/").header("X-Request-ID", max + "a");
        handler.handle(tooLong);
        assertThat(tooLong.responseHeader("X-Request-ID").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "quote\"d", "new\nline", "tab\t", "<script>", "naïve", "a/b", "a,b", "{}"})
    void aMalformedIncomingIdIsReplacedWithAGeneratedOne(String malformed) throws Exception {
        FakeHttpExchange exchange = FakeHttpExchange.get("/").header("X-Request-ID", malformed);

        handler.handle(exchange);

        String id = exchange.responseHeader("X-Request-ID").orElseThrow();
        assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo(malformed);
        assertThat(seenByHandler).hasValue(id);
    }

    @Test
    void withoutAnIncomingIdOneIsGenerated() throws Exception {
        FakeHttpExchange exchange = FakeHttpExchange.get("/");

        handler.handle(exchange);

        assertThat(exchange.responseHeader("X-Request-ID").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @Test
    void generatedIdsAreDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RequestIdMiddleware.randomId());
        }
        assertThat(ids).hasSize(100_000).allMatch(id -> id.matches("[0-9a-f]{32}"));
    }

    @Test
    void aCustomGeneratorIsUsed() throws Exception {
        HttpHandler custom = new RequestIdMiddleware(() -> "fixed-id").wrap(exchange -> { });
        FakeHttpExchange exchange = FakeHttpExchange.get("/").header("X-Request-ID", "bad id");

        custom.handle(exchange);

        assertThat(exchange.responseHeader("X-Request-ID")).hasValue("fixed-id");
    }
}
