package io.signaling.domain.signaling;

import java.util.List;
import java.util.Objects;

/**
 * What the server sends. Replies carry the {@code id} of the request that caused them
 * ({@code null} when it had none, and for messages no request caused).
 */
public sealed interface ServerMessage permits ServerMessage.Welcome, ServerMessage.Joined, ServerMessage.PeerJoined,
        ServerMessage.PeerLeft, ServerMessage.GoAway, ServerMessage.Left, ServerMessage.Relayed, ServerMessage.Pong,
        ServerMessage.Error, ServerMessage.IceServers {

    /** The wire {@code type}. */
    String type();

    /** The limits a node enforces, reported in {@code welcome}. */
    record Limits(int maxMessageBytes, int maxPeersPerRoom, double messagesPerSecond, int burst,
                  long pingIntervalMs, long idleTimeoutMs) {
    }

    /**
     * @param identity   the access token's {@code sub}; {@code null} (absent) without authentication
     * @param iceServers the STUN/TURN servers for this connection; empty (absent) when none are configured
     */
    record Welcome(PeerId peerId, Limits limits, String identity, List<IceServer> iceServers, Resume resume)
            implements ServerMessage {
        public Welcome {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(limits, "limits");
            iceServers = List.copyOf(iceServers);
        }

        /** Without the v1.1 resume fields. */
        public Welcome(PeerId peerId, Limits limits, String identity, List<IceServer> iceServers) {
            this(peerId, limits, identity, iceServers, null);
        }

        /** The v1 welcome: no identity, no ICE servers. */
        public Welcome(PeerId peerId, Limits limits) {
            this(peerId, limits, null, List.of());
        }

        /** The same welcome with the v1.1 resume fields. */
        public Welcome withResume(Resume resume) {
            return new Welcome(peerId, limits, identity, iceServers, resume);
        }

        @Override
        public String type() {
            return "welcome";
        }
    }

    /**
     * The reply to {@code join}.
     *
     * @param peers  the other peers already in the room, in the order they joined
     * @param polite always {@code false}: the newcomer is impolite toward the peers already there
     */
    record Joined(String id, RoomId room, PeerId peerId, List<PeerId> peers, boolean polite, List<Member> members)
            implements ServerMessage {
        public Joined {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peerId, "peerId");
            peers = List.copyOf(peers);
            if (members != null) {
                members = List.copyOf(members);
                if (members.size() != peers.size()) {
                    throw new IllegalArgumentException("members must match peers one to one");
                }
            }
        }

        /** Without {@code members}: the v1 shape, and the shape without authentication. */
        public Joined(String id, RoomId room, PeerId peerId, List<PeerId> peers, boolean polite) {
            this(id, room, peerId, peers, polite, null);
        }

        /** The same reply with {@code members}: the identity of each of {@code peers}, in order. */
        public Joined withMembers(List<Member> members) {
            return new Joined(id, room, peerId, peers, polite, members);
        }

        @Override
        public String type() {
            return "joined";
        }
    }

    /** One entry of {@code joined.members}; {@code identity} is {@code null} (absent) without authentication. */
    record Member(PeerId peerId, String identity) {
        public Member {
            Objects.requireNonNull(peerId, "peerId");
        }
    }

    /**
     * @param polite   always {@code true}: the receiver is polite toward the newcomer
     * @param identity the newcomer's identity; {@code null} (absent) without authentication
     */
    record PeerJoined(RoomId room, PeerId peerId, boolean polite, String identity) implements ServerMessage {
        public PeerJoined {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peerId, "peerId");
        }

        public PeerJoined(RoomId room, PeerId peerId, boolean polite) {
            this(room, peerId, polite, null);
        }

        public PeerJoined withIdentity(String identity) {
            return new PeerJoined(room, peerId, polite, identity);
        }

        @Override
        public String type() {
            return "peer-joined";
        }
    }

    record PeerLeft(RoomId room, PeerId peerId, LeaveReason reason) implements ServerMessage {
        public PeerLeft {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "peer-left";
        }
    }

    /**
     * (v1.1) The resume fields of {@code welcome}.
     *
     * @param resumeToken    the single-use token that resumes this session; {@code null} (absent) when resume is off
     * @param resumeWindowMs {@code limits.resumeWindowMs}: how long a lost session waits (0: resume is off)
     * @param resumed        {@code null} (absent) on a plain connect; whether a resume attempt succeeded
     * @param room           on a successful resume, the session's room ({@code null}: in none)
     * @param lastClientSeq  on a successful resume, the highest client {@code seq} processed
     */
    record Resume(String resumeToken, long resumeWindowMs, Boolean resumed, RoomId room, Long lastClientSeq) {
        public Resume {
            if (resumeWindowMs < 0) {
                throw new IllegalArgumentException("resumeWindowMs must be >= 0");
            }
        }
    }

    /**
     * @param reason      always {@code "shutdown"} in v1
     * @param resumeToken (v1.1, resume on) the token to resume the session elsewhere; {@code null} (absent) otherwise
     */
    record GoAway(String reason, boolean reconnect, String resumeToken) implements ServerMessage {
        public static final String SHUTDOWN = "shutdown";

        public GoAway {
            Objects.requireNonNull(reason, "reason");
        }

        public GoAway(String reason, boolean reconnect) {
            this(reason, reconnect, null);
        }

        public static GoAway shutdown() {
            return new GoAway(SHUTDOWN, true);
        }

        @Override
        public String type() {
            return "goaway";
        }
    }

    record Left(String id, RoomId room) implements ServerMessage {
        public Left {
            Objects.requireNonNull(room, "room");
        }

        @Override
        public String type() {
            return "left";
        }
    }

    /** An {@code offer}, {@code answer} or {@code candidate} from {@code from}; the payload is unchanged. */
    record Relayed(RelayKind kind, PeerId from, PeerId to, String payload) implements ServerMessage {
        public Relayed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public String type() {
            return kind.wire();
        }
    }

    record Pong(String id) implements ServerMessage {
        @Override
        public String type() {
            return "pong";
        }
    }

    /**
     * @param retryAfterMs for {@code rate-limited} only: the milliseconds after which one message
     *                     will be accepted; {@code null} otherwise
     */
    record Error(ErrorCode code, String message, String id, Long retryAfterMs) implements ServerMessage {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            if (retryAfterMs != null && (code != ErrorCode.RATE_LIMITED && code != ErrorCode.UNAVAILABLE || retryAfterMs < 0)) {
                throw new IllegalArgumentException("retryAfterMs belongs to rate-limited and unavailable only and is >= 0");
            }
        }

        public static Error of(ErrorCode code, String message, String id) {
            return new Error(code, message, id, null);
        }

        @Override
        public String type() {
            return "error";
        }
    }

    /** (v1.1) Fresh ICE servers before the previous credentials expire. */
    record IceServers(List<IceServer> iceServers) implements ServerMessage {
        public IceServers {
            iceServers = List.copyOf(iceServers);
        }

        @Override
        public String type() {
            return "ice-servers";
        }
    }
}
