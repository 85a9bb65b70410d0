package io.signaling.application.signaling;

import io.signaling.domain.signaling.PeerId;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * (v1.1) A session's single-use resume token: {@code <peerId>.<secret>}, the secret 192 random
 * bits from {@link SecureRandom} in unpadded base64url, so the whole token is URL-safe. The peer
 * id only says which session to look at (room-mates know it anyway); the secret alone proves the
 * right to resume, and is compared in constant time.
 *
 * <p>Immutable; thread-safe.
 */
final class ResumeToken {

    private static final int SECRET_BYTES = 24;
    private static final int SECRET_CHARS = 32;

    private final PeerId peer;
    private final byte[] secret;

    private ResumeToken(PeerId peer, byte[] secret) {
        this.peer = peer;
        this.secret = secret;
    }

    static ResumeToken issue(PeerId peer, SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return new ResumeToken(peer, secret);
    }

    /** The token a client presented, or {@code null} when it is not one this server could have issued. */
    static ResumeToken parse(String text) {
        if (text == null) {
            return null;
        }
        int dot = text.lastIndexOf('.');
        if (dot < 1 || text.length() - dot - 1 != SECRET_CHARS) {
            return null;
        }
        String peer = text.substring(0, dot);
        if (!PeerId.isValid(peer)) {
            return null;
        }
        try {
            return new ResumeToken(PeerId.of(peer), Base64.getUrlDecoder().decode(text.substring(dot + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    PeerId peer() {
        return peer;
    }

    /** Whether {@code presented} is this very token; in time independent of where they differ. */
    boolean matches(ResumeToken presented) {
        return presented != null && peer.equals(presented.peer) && MessageDigest.isEqual(secret, presented.secret);
    }

    /** The wire form. Never logged. */
    String value() {
        return peer.value() + '.' + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    @Override
    public String toString() {
        return "ResumeToken[" + peer.value() + ".***]";
    }
}
