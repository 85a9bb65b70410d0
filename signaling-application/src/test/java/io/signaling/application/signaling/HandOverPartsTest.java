package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.domain.signaling.PeerId;
import io.signaling.ports.signaling.TestMessageCodec;
import io.signaling.ports.websocket.TextFrame;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The parts a session hand-over between nodes is made of: the payload format, the token that
 * names the node, and a replay that continues another node's numbering and holds back messages
 * until every node has flushed.
 */
class HandOverPartsTest {

    private final TestMessageCodec codec = new TestMessageCodec();

    private static TextFrame msg(String id) {
        return TextFrame.of("{\"type\":\"pong\",\"id\":\"" + id + "\"}");
    }

    private static String numbered(String id, long seq) {
        return "{\"type\":\"pong\",\"id\":\"" + id + "\",\"seq\":" + seq + "}";
    }

    @Test
    void fieldsCarryAnyTextAndRefuseATruncatedList() {
        List<String> fields = List.of("", "a:b", "é\n\"{}", "12:34", "x".repeat(1000));
        assertThat(Fields.split(Fields.join(fields))).isEqualTo(fields);
        assertThat(Fields.split("")).isEmpty();
        String joined = Fields.join(List.of("hello", "world"));
        assertThatThrownBy(() -> Fields.split(joined.substring(0, joined.length() - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fields.split("x:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fields.split("-1:")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTokenNamesItsNodeAndStillMatchesOnlyItsSecret() {
        SecureRandom random = new SecureRandom();
        PeerId peer = PeerId.of("peer_1-A");
        ResumeToken clustered = ResumeToken.issue(peer, "node_A-1234567890", random);
        ResumeToken parsed = ResumeToken.parse(clustered.value());
        assertThat(parsed).isNotNull();
        assertThat(parsed.peer()).isEqualTo(peer);
        assertThat(parsed.node()).isEqualTo("node_A-1234567890");
        assertThat(clustered.matches(parsed)).isTrue();
        assertThat(clustered.value()).doesNotContain("=").matches("[A-Za-z0-9_.-]+");
        ResumeToken alone = ResumeToken.issue(peer, random);
        assertThat(ResumeToken.parse(alone.value()).node()).isNull();
        assertThat(alone.value()).hasSize(peer.value().length() + 1 + 32);
        assertThat(clustered.matches(ResumeToken.parse(alone.value()))).isFalse();
        assertThat(ResumeToken.parse(peer.value() + ".no de." + alone.value().substring(peer.value().length() + 1)))
                .as("a node part that no node id could be").isNull();
        assertThat(clustered.toString()).doesNotContain(clustered.value().substring(clustered.value().lastIndexOf('.') + 1));
    }

    @Test
    void aHandedOverReplayContinuesTheNumberingAndReplaysWhatTheOldNodeKept() {
        List<Replay.Kept> kept = List.of(new Replay.Kept(7, TextFrame.of(numbered("a", 7))),
                new Replay.Kept(8, TextFrame.of(numbered("b", 8))));
        Replay replay = Replay.handedOver(16, 1 << 20, codec, 8, kept, Set.of());
        FakeConnection connection = new FakeConnection("new");
        assertThat(replay.canResumeFrom(6)).isTrue();
        assertThat(replay.canResumeFrom(5)).isFalse();
        assertThat(replay.resume(7, connection, TextFrame.of("{\"type\":\"welcome\"}"))).isEqualTo(1);
        replay.send(msg("c"));
        assertThat(connection.sent()).containsExactly("{\"type\":\"welcome\"}", numbered("b", 8), numbered("c", 9));
        assertThat(replay.keptWithSeq()).extracting(Replay.Kept::seq).containsExactly(7L, 8L, 9L);
    }

    @Test
    void messagesAreHeldUntilEveryNodeFlushedWhileForwardedOnesGoFirst() {
        Replay replay = Replay.handedOver(16, 1 << 20, codec, 3, List.of(), Set.of("n2", "n3"));
        FakeConnection connection = new FakeConnection("new");
        replay.resume(3, connection, TextFrame.of("{\"type\":\"welcome\"}"));
        assertThat(replay.holding()).isTrue();
        assertThat(replay.send(msg("direct-1"))).isEqualTo(Replay.Outcome.BUFFERED);
        replay.sendForwarded(msg("old-1"));
        assertThat(replay.flushed("n2")).isEqualTo(Replay.Outcome.SENT);
        replay.send(msg("direct-2"));
        replay.sendForwarded(msg("old-2"));
        assertThat(connection.sent()).containsExactly("{\"type\":\"welcome\"}", numbered("old-1", 4), numbered("old-2", 5));
        replay.flushed("n3");
        assertThat(replay.holding()).isFalse();
        replay.send(msg("live"));
        assertThat(connection.sent()).containsExactly("{\"type\":\"welcome\"}", numbered("old-1", 4), numbered("old-2", 5),
                numbered("direct-1", 6), numbered("direct-2", 7), numbered("live", 8));
    }

    @Test
    void aHoldThatOutgrowsTheBufferLetsGoRatherThanGrowWithoutBound() {
        Replay replay = Replay.handedOver(3, 1 << 20, codec, 0, List.of(), Set.of("dead"));
        FakeConnection connection = new FakeConnection("new");
        replay.resume(0, connection, TextFrame.of("{\"type\":\"welcome\"}"));
        for (int i = 1; i <= 4; i++) {
            replay.send(msg("m" + i));
        }
        assertThat(replay.holding()).isFalse();
        assertThat(connection.sent()).containsExactly("{\"type\":\"welcome\"}", numbered("m1", 1), numbered("m2", 2),
                numbered("m3", 3), numbered("m4", 4));
    }
}
