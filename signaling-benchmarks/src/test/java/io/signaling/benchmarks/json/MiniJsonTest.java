package io.signaling.benchmarks.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MiniJsonTest {

    @Test
    void keepsNestedValuesAsRawText() {
        var m = MiniJson.parseObject(" {\"type\":\"offer\", \"to\":\"a\\\"b\", \"payload\":{\"x\":[1,{\"y\":null}],\"s\":\"}\"}, \"n\":-12} ");

        assertThat(MiniJson.string(m, "type")).isEqualTo("offer");
        assertThat(MiniJson.string(m, "to")).isEqualTo("a\"b");
        assertThat(m.get("payload")).isEqualTo("{\"x\":[1,{\"y\":null}],\"s\":\"}\"}");
        assertThat(MiniJson.number(m, "n", 0)).isEqualTo(-12);
        assertThat(MiniJson.string(m, "payload")).isNull();
    }

    @Test
    void quoteRoundTripsThroughUnquote() {
        String s = "a\"b\\c\nd\u0001é";
        assertThat(MiniJson.unquote(MiniJson.quote(s))).isEqualTo(s);
    }

    @Test
    void rejectsMalformedInputWithThePosition() {
        // The reasons are Jackson's; each names where the input went wrong.
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":1")).hasMessageContaining("end-of-input");
        assertThatThrownBy(() -> MiniJson.parseObject("[1]")).hasMessageContaining("expected '{' at offset 0");
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":1} x")).hasMessageContaining("Unrecognized token 'x'");
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":}")).hasMessageContaining("offset 5");
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":1-2}")).hasMessageContaining("offset 6");
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":-}")).hasMessageContaining("offset 6");
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":1.}")).hasMessageContaining("Decimal point");
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":01}")).hasMessageContaining("Leading zeroes");
        assertThat(MiniJson.parseObject("{\"a\":-0.5e+3,\"b\":0,\"c\":12E2}").get("a")).isEqualTo("-0.5e+3");
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                .hasMessageContaining("nesting");
    }
}
