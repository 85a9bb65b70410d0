package io.signaling.domain.signaling;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code iceServers}, in the shape of the browser's {@code RTCIceServer}, so a client
 * passes the list straight to {@code new RTCPeerConnection({iceServers})}.
 *
 * @param urls       {@code stun:}, {@code turn:} or {@code turns:} URLs
 * @param username   the TURN username, {@code null} for STUN
 * @param credential the TURN password, {@code null} for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        if ((username == null) != (credential == null)) {
            throw new IllegalArgumentException("username and credential come together");
        }
    }

    /** A STUN entry (no credentials). */
    public static IceServer stun(List<String> urls) {
        return new IceServer(urls, null, null);
    }

    public static IceServer turn(List<String> urls, String username, String credential) {
        return new IceServer(urls, Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(credential, "credential"));
    }
}
