package io.signaling.ports.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextFrameTest {

    @Test
    void measuresUtf8WithoutEncoding() {
        String text = "a\u00e9\u20ac\uD83D\uDE00";
        assertThat(TextFrame.utf8Length(text)).isEqualTo(1 + 2 + 3 + 4)
                .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(TextFrame.of(text)).isEqualTo(new TextFrame(text, 10));
    }

    @Test
    void anUnpairedSurrogateCountsThreeBytesNeverLess() {
        assertThat(TextFrame.utf8Length("x\uD83D")).isEqualTo(1 + 3);
        assertThat(TextFrame.utf8Length("\uDE00x")).isEqualTo(3 + 1);
    }

    @Test
    void refusesANegativeSizeOrNoText() {
        assertThatThrownBy(() -> new TextFrame("x", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextFrame.of(null)).isInstanceOf(NullPointerException.class);
    }
}
