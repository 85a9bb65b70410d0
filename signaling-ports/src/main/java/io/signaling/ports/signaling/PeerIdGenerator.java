package io.signaling.ports.signaling;

import io.signaling.domain.signaling.PeerId;

/**
 * Makes peer ids. Production ids are unguessable (at least 96 random bits from a secure source)
 * and unique on the node; tests may plug in a predictable sequence.
 *
 * <p>Direction: outbound. Thread-safety: safe for concurrent use.
 */
@FunctionalInterface
public interface PeerIdGenerator {

    PeerId next();
}
