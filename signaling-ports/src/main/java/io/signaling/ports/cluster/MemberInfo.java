package io.signaling.ports.cluster;

/**
 * What the room management API shows of a member besides its node, stored with the membership so
 * that any node can answer for every member.
 *
 * @param identity       the access token's subject, or {@code null} without authentication
 * @param joinedAtMillis the joining node's wall clock at the join (Unix milliseconds); 0 when unknown
 * @param protocol       the member's protocol version ({@code "v1"} or {@code "v1.1"}), or {@code null} when unknown
 * @param suspended      (v1.1) whether its session is suspended now (its connection lost, waiting for a resume),
 *                       as its node last {@linkplain RoomDirectory#suspended marked} it
 */
public record MemberInfo(String identity, long joinedAtMillis, String protocol, boolean suspended) {

    /** Join details of a member whose session is connected. */
    public MemberInfo(String identity, long joinedAtMillis, String protocol) {
        this(identity, joinedAtMillis, protocol, false);
    }

    /** The same details with the session's state. */
    public MemberInfo withSuspended(boolean now) {
        return new MemberInfo(identity, joinedAtMillis, protocol, now);
    }

    /** Nothing known: what a store that lost its state and had members restored can tell. */
    public static MemberInfo unknown() {
        return new MemberInfo(null, 0L, null);
    }
}
