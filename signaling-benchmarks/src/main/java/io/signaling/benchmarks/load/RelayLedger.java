package io.signaling.benchmarks.load;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Relay accounting: what each peer sent to each room-mate, and what each peer received.
 *
 * <p>Every relay carries the sender's sequence number. A receiver classifies each arrival:
 * <ul>
 *   <li>misrouted: {@code to} is not the receiver, or {@code from} is not one of its room-mates;</li>
 *   <li>duplicated: the same sender and sequence number seen twice;</li>
 *   <li>reordered: a sequence number lower than one already seen from that sender (the contract
 *       promises FIFO per sender and recipient);</li>
 *   <li>otherwise delivered.</li>
 * </ul>
 * Lost is counted per (sender, recipient) pair as sent minus distinct received, so a duplicate
 * cannot hide a loss. Thread-safety: {@link #register} before the run, from one thread; then
 * {@link #sent}, {@link #sendFailed} and {@link #received} from any thread.
 */
final class RelayLedger {

    enum Verdict { DELIVERED, REORDERED, DUPLICATE, MISROUTED }

    private final Map<String, Peer> peers = new HashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendFailed = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder reordered = new LongAdder();
    private final LongAdder duplicated = new LongAdder();
    private final LongAdder misrouted = new LongAdder();

    private static final class Peer {
        final Set<String> mates;
        final ConcurrentHashMap<String, LongAdder> sentTo = new ConcurrentHashMap<>();
        // Guarded by this Peer: one receiver's messages arrive serially, so the lock is uncontended.
        final Map<String, BitSet> seen = new HashMap<>();
        final Map<String, Long> highest = new HashMap<>();

        Peer(Set<String> mates) {
            this.mates = Set.copyOf(mates);
            for (String m : mates) {
                sentTo.put(m, new LongAdder());
            }
        }
    }

    void register(String peerId, Set<String> mates) {
        peers.put(peerId, new Peer(mates));
    }

    void sent(String from, String to) {
        peers.get(from).sentTo.get(to).increment();
        sent.increment();
    }

    /** A send the client could not hand to the socket: not expected at the receiver. */
    void sendFailed(String from, String to) {
        peers.get(from).sentTo.get(to).decrement();
        sent.decrement();
        sendFailed.increment();
    }

    Verdict received(String self, String from, String to, long seq) {
        Peer me = peers.get(self);
        if (me == null || !self.equals(to) || from == null || !me.mates.contains(from) || seq < 0
                || seq > Integer.MAX_VALUE) {
            misrouted.increment();
            return Verdict.MISROUTED;
        }
        Verdict verdict;
        synchronized (me) {
            BitSet bits = me.seen.computeIfAbsent(from, f -> new BitSet());
            if (bits.get((int) seq)) {
                verdict = Verdict.DUPLICATE;
            } else {
                bits.set((int) seq);
                long top = me.highest.getOrDefault(from, -1L);
                if (seq < top) {
                    verdict = Verdict.REORDERED;
                } else {
                    me.highest.put(from, seq);
                    verdict = Verdict.DELIVERED;
                }
            }
        }
        switch (verdict) {
            case DUPLICATE -> duplicated.increment();
            case REORDERED -> {
                reordered.increment();
                delivered.increment();
            }
            default -> delivered.increment();
        }
        return verdict;
    }

    long sent() {
        return sent.sum();
    }

    long sendFailed() {
        return sendFailed.sum();
    }

    long delivered() {
        return delivered.sum();
    }

    long reordered() {
        return reordered.sum();
    }

    long duplicated() {
        return duplicated.sum();
    }

    long misrouted() {
        return misrouted.sum();
    }

    /** Messages sent and not (yet) received by their recipient, summed per pair. */
    long lost() {
        long lost = 0;
        for (var e : peers.entrySet()) {
            String from = e.getKey();
            for (var out : e.getValue().sentTo.entrySet()) {
                Peer recipient = peers.get(out.getKey());
                long got = 0;
                if (recipient != null) {
                    synchronized (recipient) {
                        BitSet bits = recipient.seen.get(from);
                        got = bits == null ? 0 : bits.cardinality();
                    }
                }
                lost += Math.max(0, out.getValue().sum() - got);
            }
        }
        return lost;
    }
}
