package io.signaling.ports.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What makes StrictJson strict: a body it accepts is exactly one valid JSON value without repeats. */
class StrictJsonTest {

    @Test
    void readsPlainJavaValues() {
        Map<String, Object> parsed = StrictJson.parseObject("{\"a\":[1,2.5,\"x\"],\"b\":null,\"c\":{\"d\":true}}");

        assertThat(parsed.get("a")).isEqualTo(List.of(new BigDecimal("1"), new BigDecimal("2.5"), "x"));
        assertThat(parsed).containsEntry("b", null).containsEntry("c", Map.of("d", true));
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> StrictJson.parse("{\"status\":\"UP\",\"status\":\"DOWN\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duplicate field 'status'");
        assertThatThrownBy(() -> StrictJson.parse("{\"x\":{\"a\":1,\"a\":1}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void trailingGarbageAndMalformedInputAreRejected() {
        assertThatThrownBy(() -> StrictJson.parse("{\"a\":1} {\"b\":2}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parse("{\"a\":1,}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object");
    }
}
