package io.signaling.adapter.undertow.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.websocket.TextFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parts made whole, every byte counted as it comes, an oversized message dropped without being buffered. */
class TextAssemblerTest {

    private final List<TextFrame> texts = new ArrayList<>();
    private int tooBig;
    private final TextAssembler assembler = new TextAssembler(10, new TextAssembler.Sink() {
        @Override
        public void text(TextFrame frame) {
            texts.add(frame);
        }

        @Override
        public void tooBig() {
            tooBig++;
        }
    });

    @Test
    void aWholeMessageInOnePartPassesAsIsWithItsSize() {
        String whole = "h\u00e9llo";
        assembler.part(whole, true);
        assertThat(texts).singleElement().satisfies(frame -> {
            assertThat(frame.text()).isSameAs(whole);
            assertThat(frame.utf8Bytes()).isEqualTo(6);
        });
    }

    @Test
    void partsAreJoinedAndTheirUtf8BytesAdded() {
        assembler.part("ab", false);
        assembler.part("\u20ac", false);
        assembler.part("c", true);
        assertThat(texts).containsExactly(new TextFrame("ab\u20acc", 6));
    }

    @Test
    void theFirstPartPastTheLimitRefusesTheMessageOnceAndTheRestIsDropped() {
        assembler.part("12345", false);
        assembler.part("\u20ac\u20ac", false); // 11 bytes: past the limit of 10
        assembler.part("more", false);
        assembler.part("end", true);
        assertThat(tooBig).isEqualTo(1);
        assertThat(texts).isEmpty();

        assembler.part("next", true);
        assertThat(texts).containsExactly(new TextFrame("next", 4));
    }

    @Test
    void exactlyTheLimitIsAllowed() {
        assembler.part("12345", false);
        assembler.part("67890", true);
        assertThat(tooBig).isZero();
        assertThat(texts).containsExactly(new TextFrame("1234567890", 10));
    }
}
