package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.ports.signaling.TestMessageCodec;
import io.signaling.ports.websocket.TextFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private final FakeConnection first = new FakeConnection("first");
    private final TestMessageCodec codec = new TestMessageCodec();

    private static TextFrame msg(int n) {
        return TextFrame.of("{\"type\":\"pong\",\"id\":\"m" + n + "\"}");
    }

    @Test
    void numbersEveryMessageFromOneAndSendsItWithItsSeq() {
        Replay replay = new Replay(4, 1 << 20, codec, first);
        assertThat(replay.send(msg(1))).isEqualTo(Replay.Outcome.SENT);
        assertThat(replay.send(msg(2))).isEqualTo(Replay.Outcome.SENT);
        assertThat(first.sent()).containsExactly("{\"type\":\"pong\",\"id\":\"m1\",\"seq\":1}",
                "{\"type\":\"pong\",\"id\":\"m2\",\"seq\":2}");
        assertThat(replay.lastSeq()).isEqualTo(2);
        assertThat(replay.kept()).allSatisfy(f -> assertThat(f.utf8Bytes()).isEqualTo(TextFrame.utf8Length(f.text())));
    }

    @Test
    void resumeReplaysExactlyWhatFollowsLastSeqAfterTheWelcomeThenLetsLiveTrafficThrough() {
        Replay replay = new Replay(8, 1 << 20, codec, first);
        for (int i = 1; i <= 5; i++) {
            replay.send(msg(i));
        }
        replay.suspend();
        assertThat(replay.send(msg(6))).isEqualTo(Replay.Outcome.BUFFERED);
        assertThat(first.sent()).hasSize(5);
        FakeConnection second = new FakeConnection("second");
        assertThat(replay.resume(3, second, TextFrame.of("{\"type\":\"welcome\"}"))).isEqualTo(3);
        replay.send(msg(7));
        assertThat(second.sent()).containsExactly("{\"type\":\"welcome\"}",
                "{\"type\":\"pong\",\"id\":\"m4\",\"seq\":4}", "{\"type\":\"pong\",\"id\":\"m5\",\"seq\":5}",
                "{\"type\":\"pong\",\"id\":\"m6\",\"seq\":6}", "{\"type\":\"pong\",\"id\":\"m7\",\"seq\":7}");
    }

    @Test
    void aLastSeqOlderThanWhatIsKeptOrNewerThanWhatWasSentCannotResume() {
        Replay replay = new Replay(3, 1 << 20, codec, first);
        for (int i = 1; i <= 5; i++) {
            replay.send(msg(i));
        }
        // Kept: 3, 4, 5. From 2 on everything is there; from 1 message 2 is missing.
        assertThat(replay.canResumeFrom(2)).isTrue();
        assertThat(replay.canResumeFrom(5)).isTrue();
        assertThat(replay.canResumeFrom(1)).isFalse();
        assertThat(replay.canResumeFrom(6)).isFalse();
        assertThat(replay.canResumeFrom(-1)).isFalse();
        FakeConnection second = new FakeConnection("second");
        assertThat(replay.resume(1, second, TextFrame.of("{\"type\":\"welcome\"}"))).isEqualTo(-1);
        assertThat(second.sent()).isEmpty();
    }

    @Test
    void aFreshSessionResumesFromZero() {
        Replay replay = new Replay(3, 1 << 20, codec, first);
        assertThat(replay.canResumeFrom(0)).isTrue();
        assertThat(replay.canResumeFrom(1)).isFalse();
    }

    @Test
    void whileSuspendedTheBufferIsBoundedInMessagesAndTheOverflowIsFinal() {
        Replay replay = new Replay(2, 1 << 20, codec, first);
        for (int i = 1; i <= 5; i++) {
            replay.send(msg(i));
        }
        replay.suspend();
        assertThat(replay.send(msg(6))).isEqualTo(Replay.Outcome.BUFFERED);
        assertThat(replay.send(msg(7))).isEqualTo(Replay.Outcome.BUFFERED);
        assertThat(replay.canResumeFrom(5)).isTrue();
        assertThat(replay.send(msg(8))).isEqualTo(Replay.Outcome.OVERFLOW);
        assertThat(replay.send(msg(9))).isEqualTo(Replay.Outcome.DROPPED);
        assertThat(replay.overflowed()).isTrue();
        assertThat(replay.canResumeFrom(7)).isFalse();
    }

    @Test
    void whileSuspendedTheBufferIsBoundedInBytes() {
        int size = msg(1).utf8Bytes();
        Replay replay = new Replay(100, size * 2L + 1, codec, first);
        replay.suspend();
        assertThat(replay.send(msg(1))).isEqualTo(Replay.Outcome.BUFFERED);
        assertThat(replay.send(msg(2))).isEqualTo(Replay.Outcome.BUFFERED);
        assertThat(replay.send(msg(3))).isEqualTo(Replay.Outcome.OVERFLOW);
    }

    @Test
    void whileConnectedTheOldestAreDroppedToStayWithinTheBounds() {
        Replay replay = new Replay(100, 3L * (msg(1).utf8Bytes() + 9), codec, first);
        for (int i = 1; i <= 10; i++) {
            assertThat(replay.send(msg(i))).isEqualTo(Replay.Outcome.SENT);
        }
        List<TextFrame> kept = replay.kept();
        assertThat(kept).hasSize(3);
        assertThat(kept.get(0).text()).contains("\"seq\":8");
    }
}
