package io.signaling.ports.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {

    private static String quote(String value) {
        return Json.quote(new StringBuilder(), value).toString();
    }

    @Test
    void escapesWhatJsonRequiresAndTheLineSeparatorsJavaScriptChokesOn() {
        assertThat(quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
        assertThat(quote("\u0001\u001f")).isEqualTo("\"\\u0001\\u001f\"");
        assertThat(quote("x\u2028y\u2029")).isEqualTo("\"x\\u2028y\\u2029\"");
        assertThat(quote("café ☎")).isEqualTo("\"café ☎\"");
    }

    @Test
    void nullIsTheJsonLiteral() {
        assertThat(quote(null)).isEqualTo("null");
    }
}
