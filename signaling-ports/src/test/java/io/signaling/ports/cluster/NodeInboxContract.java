package io.signaling.ports.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link NodeInbox} meets. {@link #newInbox()} may be called several times per
 * test and returns clients of one and the same store (as separate nodes would hold).
 */
public abstract class NodeInboxContract {

    private static final NodeId SENDER = NodeId.of("sender");
    private static final NodeId RECEIVER = NodeId.of("receiver");
    private static final RoomId ROOM = RoomId.of("room");
    private static final PeerId TO = PeerId.of("to");

    private final List<NodeInbox.Reader> readers = new ArrayList<>();

    /** A client of the test's store. */
    protected abstract NodeInbox newInbox();

    @AfterEach
    void closeReaders() {
        readers.forEach(NodeInbox.Reader::close);
    }

    protected static Envelope envelope(NodeId origin, long sequence, String text) {
        return new Envelope(origin, sequence, TO, ROOM, text, null, null, System.currentTimeMillis());
    }

    private List<Envelope> read(NodeInbox inbox, NodeId node) {
        List<Envelope> received = Collections.synchronizedList(new ArrayList<>());
        readers.add(inbox.open(node, received::add));
        return received;
    }

    @Test
    void envelopesArriveInPublishOrderWithEveryField() throws Exception {
        NodeInbox receiver = newInbox();
        List<Envelope> received = read(receiver, RECEIVER);
        NodeInbox sender = newInbox();
        Envelope withChange = new Envelope(SENDER, 1, TO, ROOM, "{\"type\":\"peer-joined\",\"x\":\"é\\n\"}",
                new Envelope.Change(PeerId.of("new"), NodeId.of("elsewhere")),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", 1234L);
        sender.publish(RECEIVER, withChange).toCompletableFuture().get();
        Envelope leaveNotice = new Envelope(SENDER, 2, TO, ROOM, "{}", new Envelope.Change(PeerId.of("gone"), null), null, 5L);
        sender.publish(RECEIVER, leaveNotice).toCompletableFuture().get();
        int n = 500;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 3; i < n + 3; i++) {
            sent.add(sender.publish(RECEIVER, envelope(SENDER, i, "m" + i)).toCompletableFuture());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= n + 2);
        assertThat(received.get(0)).isEqualTo(withChange);
        assertThat(received.get(1)).isEqualTo(leaveNotice);
        for (int i = 0; i < n; i++) {
            assertThat(received.get(i + 2).sequence()).isEqualTo(i + 3);
            assertThat(received.get(i + 2).text()).isEqualTo("m" + (i + 3));
        }
        assertThat(received).hasSize(n + 2);
    }

    @Test
    void anInboxIsReadOnlyByItsNode() throws Exception {
        NodeInbox inbox = newInbox();
        List<Envelope> mine = read(inbox, RECEIVER);
        List<Envelope> other = read(newInbox(), NodeId.of("other"));
        inbox.publish(RECEIVER, envelope(SENDER, 1, "for receiver")).toCompletableFuture().get();
        inbox.publish(NodeId.of("other"), envelope(SENDER, 1, "for other")).toCompletableFuture().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> mine.size() == 1 && other.size() == 1);
        assertThat(mine.get(0).text()).isEqualTo("for receiver");
        assertThat(other.get(0).text()).isEqualTo("for other");
    }

    @Test
    void aClosedReaderIsNotCalledAgain() throws Exception {
        NodeInbox inbox = newInbox();
        AtomicReference<Envelope> late = new AtomicReference<>();
        List<Envelope> received = Collections.synchronizedList(new ArrayList<>());
        NodeInbox.Reader reader = inbox.open(RECEIVER, e -> {
            if (e.sequence() > 1) {
                late.set(e);
            }
            received.add(e);
        });
        inbox.publish(RECEIVER, envelope(SENDER, 1, "first")).toCompletableFuture().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
        reader.close();
        inbox.publish(RECEIVER, envelope(SENDER, 2, "second")).toCompletableFuture().get();
        // A new reader of the same inbox proves the second envelope was stored and readable.
        List<Envelope> again = read(newInbox(), RECEIVER);
        inbox.publish(RECEIVER, envelope(SENDER, 3, "third")).toCompletableFuture().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> !again.isEmpty());
        assertThat(late.get()).isNull();
    }

    @Test
    void deleteDropsWhatADeadNodeLeftUnread() throws Exception {
        NodeInbox inbox = newInbox();
        inbox.publish(RECEIVER, envelope(SENDER, 1, "unread")).toCompletableFuture().get();
        inbox.delete(RECEIVER);
        List<Envelope> received = read(inbox, RECEIVER);
        inbox.publish(RECEIVER, envelope(SENDER, 2, "after")).toCompletableFuture().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        assertThat(received).extracting(Envelope::text).containsExactly("after");
    }

    @Test
    void aMarkArrivesAsAMarkInItsPlace() throws Exception {
        NodeInbox receiver = newInbox();
        List<Envelope> received = read(receiver, RECEIVER);
        NodeInbox sender = newInbox();
        sender.publish(RECEIVER, envelope(SENDER, 1, "before")).toCompletableFuture().get();
        sender.publish(RECEIVER, Envelope.mark(SENDER, 5, 42L)).toCompletableFuture().get();
        sender.publish(RECEIVER, envelope(SENDER, 6, "after")).toCompletableFuture().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 3);
        assertThat(received.get(0).text()).isEqualTo("before");
        assertThat(received.get(1)).isEqualTo(Envelope.mark(SENDER, 5, 42L));
        assertThat(received.get(1).isMark()).isTrue();
        assertThat(received.get(2).isMark()).isFalse();
        assertThat(received.get(2).text()).isEqualTo("after");
    }

    @Test
    void aCommandWithoutARoomArrivesWithItsCommand() throws Exception {
        NodeInbox receiver = newInbox();
        List<Envelope> received = read(receiver, RECEIVER);
        NodeInbox sender = newInbox();
        Envelope resume = new Envelope(SENDER, 1, TO, null, "12:token.secret3:42", null, null, 7L,
                Envelope.Command.RESUME);
        Envelope forward = new Envelope(SENDER, 2, TO, ROOM, "{\"type\":\"offer\"}",
                new Envelope.Change(PeerId.of("other"), null), null, 8L, Envelope.Command.FORWARD);
        sender.publish(RECEIVER, resume).toCompletableFuture().get();
        sender.publish(RECEIVER, forward).toCompletableFuture().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);
        assertThat(received).containsExactly(resume, forward);
    }
}
