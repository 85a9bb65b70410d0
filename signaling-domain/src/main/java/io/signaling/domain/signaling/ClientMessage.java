package io.signaling.domain.signaling;

import java.util.Objects;

/**
 * What a client may send, already decoded. Every message may carry the client's {@code id}
 * ({@code null} when it sent none), which replies and errors caused by it echo.
 */
public sealed interface ClientMessage permits ClientMessage.Join, ClientMessage.Leave, ClientMessage.Relay,
        ClientMessage.Ping {

    /** The client's correlation id, or {@code null}. */
    String id();

    /** The wire {@code type}. */
    String type();

    record Join(String id, RoomId room) implements ClientMessage {
        public Join {
            Objects.requireNonNull(room, "room");
        }

        @Override
        public String type() {
            return "join";
        }
    }

    record Leave(String id) implements ClientMessage {
        @Override
        public String type() {
            return "leave";
        }
    }

    /**
     * An {@code offer}, {@code answer} or {@code candidate} for peer {@code to}.
     *
     * @param to      the target as the client wrote it; not validated as a {@link PeerId}, since a
     *                string that names no peer of the room is simply {@code peer-not-found}
     * @param payload the raw JSON text of the {@code payload} value, handed over unchanged
     *                ({@code "null"} for JSON null)
     */
    record Relay(String id, RelayKind kind, String to, String payload) implements ClientMessage {
        public Relay {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public String type() {
            return kind.wire();
        }
    }

    record Ping(String id) implements ClientMessage {
        @Override
        public String type() {
            return "ping";
        }
    }
}
