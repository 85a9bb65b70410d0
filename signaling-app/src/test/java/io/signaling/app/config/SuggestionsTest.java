package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("server.port", "server.host", "admin.port",
            "websocket.max-message-size", "rate-limit.burst");

    @Test
    void countsAnAdjacentSwapAsOneEdit() {
        assertThat(Suggestions.distance("prot", "port")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void suggestsTheNearestKey() {
        assertThat(Suggestions.closest("server.prot", KEYS)).contains("server.port");
        assertThat(Suggestions.closest("sever.host", KEYS)).contains("server.host");
    }

    @Test
    void suggestsTheKeyWithTheSameNormalisedForm() {
        assertThat(Suggestions.closest("websocket.maxMessageSize", KEYS)).contains("websocket.max-message-size");
        assertThat(Suggestions.closest("rate_limit.burst", KEYS)).contains("rate-limit.burst");
    }

    @Test
    void suggestsNothingWhenNothingIsClose() {
        assertThat(Suggestions.closest("database.url", KEYS)).isEmpty();
        assertThat(Suggestions.closest("xyz", KEYS)).isEmpty();
    }
}
