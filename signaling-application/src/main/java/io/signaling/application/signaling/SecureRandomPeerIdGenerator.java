package io.signaling.application.signaling;

import io.signaling.domain.signaling.PeerId;
import io.signaling.ports.signaling.PeerIdGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/** 128 bits from a {@link SecureRandom}, base64url without padding: 22 unguessable characters. */
final class SecureRandomPeerIdGenerator implements PeerIdGenerator {

    static final int BYTES = 16;

    private final SecureRandom random;
    private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

    SecureRandomPeerIdGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public PeerId next() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return PeerId.of(encoder.encodeToString(bytes));
    }
}
