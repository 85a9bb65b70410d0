package io.signaling.application.signaling;

import io.signaling.domain.signaling.PeerId;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * (v1.1) A session's single-use resume token: {@code <peerId>.<secret>}, or in a cluster
 * {@code <peerId>.<node>.<secret>} (the node incarnation that holds the session, so another node
 * knows whom to ask without a lookup); the secret is 192 random bits from {@link SecureRandom} in
 * unpadded base64url, so the whole token is URL-safe. The peer id and node only say where to look
 * (room-mates know the peer id anyway, and a node id opens nothing); the secret alone proves the
 * right to resume, and is compared in constant time.
 *
 * <p>Immutable; thread-safe.
 */
final class ResumeToken {

    private static final int SECRET_BYTES = 24;
    private static final int SECRET_CHARS = 32;

    private static final java.util.regex.Pattern NODE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final PeerId peer;
    private final String node;
    private final byte[] secret;

    private ResumeToken(PeerId peer, String node, byte[] secret) {
        this.peer = peer;
        this.node = node;
        this.secret = secret;
    }

    static ResumeToken issue(PeerId peer, SecureRandom random) {
        return issue(peer, null, random);
    }

    /** @param node the node incarnation that holds the session, or {@code null} outside a cluster */
    static ResumeToken issue(PeerId peer, String node, SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return new ResumeToken(peer, node, secret);
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
        String node = null;
        int nodeDot = peer.lastIndexOf('.');
        if (nodeDot >= 0) {
            node = peer.substring(nodeDot + 1);
            peer = peer.substring(0, nodeDot);
            if (!NODE.matcher(node).matches()) {
                return null;
            }
        }
        if (!PeerId.isValid(peer)) {
            return null;
        }
        try {
            return new ResumeToken(PeerId.of(peer), node, Base64.getUrlDecoder().decode(text.substring(dot + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    PeerId peer() {
        return peer;
    }

    /** The node incarnation that issued it, or {@code null} outside a cluster. */
    String node() {
        return node;
    }

    /** Whether {@code presented} is this very token; in time independent of where they differ. */
    boolean matches(ResumeToken presented) {
        return presented != null && peer.equals(presented.peer) && MessageDigest.isEqual(secret, presented.secret);
    }

    /** The wire form. Never logged. */
    String value() {
        return peer.value() + '.' + (node == null ? "" : node + '.')
                + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    @Override
    public String toString() {
        return "ResumeToken[" + peer.value() + ".***]";
    }
}
