package io.signaling.ports.cluster;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Delivery to a peer on another node: each node incarnation reads its own inbox.
 *
 * <p>Direction: outbound ({@link #publish}) and inbound ({@link #open} calls the handler).
 *
 * <p>Guarantees: envelopes that {@link #publish} stored for one node are handed to that node's
 * handler in the order the publish calls were made (calls ordered by happens-before, e.g. made by
 * one thread or under one lock), each at least once; a lost connection to the store loses nothing
 * that was stored: reading resumes after the last entry handed over. Loss is possible only where
 * the store itself loses data (a restart without persistence, a flush, an inbox trimmed past its
 * bound while its node was not reading); the receiver finds it by the envelopes' sequence numbers.
 * A publish that fails completes exceptionally with {@link ClusterUnavailableException} within the
 * command timeout (at once while disconnected) and is then never delivered afterwards, except
 * where the class of the implementation says otherwise.
 *
 * <p>Thread-safety: {@link #publish} is safe from any thread and never blocks; the handler is
 * called from one thread at a time, in order.
 */
public interface NodeInbox {

    /** Appends {@code envelope} to the inbox of {@code node}. */
    CompletionStage<Void> publish(NodeId node, Envelope envelope);

    /** Starts reading the inbox of {@code self} from now on; close the reader to stop. */
    Reader open(NodeId self, Consumer<Envelope> handler);

    /** Deletes a dead or stopped node's inbox. */
    void delete(NodeId node);

    /** A running reader of one inbox. */
    interface Reader extends AutoCloseable {
        /** Stops reading; the handler is not called once this returns. */
        @Override
        void close();
    }
}
