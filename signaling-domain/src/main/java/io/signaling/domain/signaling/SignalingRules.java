package io.signaling.domain.signaling;

import io.signaling.domain.signaling.Membership.Departure;
import io.signaling.domain.signaling.Membership.JoinResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of signaling v1: given the membership state and one event, change the state and say
 * what to deliver to whom. No I/O and no threads; the caller sends the deliveries, in list order,
 * and must not interleave another change of the same room between {@link #apply} and the hand-off
 * if it wants room-mates to see changes in the order they happened.
 *
 * <p>Thread-safety: immutable; {@link #apply} is as thread-safe as the {@link Membership} given.
 */
public final class SignalingRules {

    /**
     * The smallest room limit: a room is for peers to meet. The one home of this bound; the
     * settings and the configuration refer to it.
     */
    public static final int MIN_PEERS_PER_ROOM = 2;

    private final int maxPeersPerRoom;

    public SignalingRules(int maxPeersPerRoom) {
        if (maxPeersPerRoom < MIN_PEERS_PER_ROOM) {
            throw new IllegalArgumentException("maxPeersPerRoom must be >= " + MIN_PEERS_PER_ROOM + ", got "
                    + maxPeersPerRoom);
        }
        this.maxPeersPerRoom = maxPeersPerRoom;
    }

    public int maxPeersPerRoom() {
        return maxPeersPerRoom;
    }

    /** What an event caused: the deliveries, in hand-off order, and the error code if it was refused. */
    public record Outcome(List<Delivery> deliveries, ErrorCode error) {
        public Outcome {
            deliveries = List.copyOf(deliveries);
        }

        public Optional<ErrorCode> failure() {
            return Optional.ofNullable(error);
        }

        static Outcome refused(PeerId to, ErrorCode code, String message, String id) {
            return new Outcome(List.of(new Delivery(to, ServerMessage.Error.of(code, message, id))), code);
        }
    }

    /**
     * Applies {@code event} to {@code state}.
     *
     * @param draining whether the node is in its shutdown drain, when joins are refused
     */
    public Outcome apply(Membership state, boolean draining, SignalingEvent event) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(event, "event");
        PeerId peer = event.peer();
        if (event instanceof SignalingEvent.Message m) {
            ClientMessage message = m.message();
            if (message instanceof ClientMessage.Join join) {
                return join(state, draining, peer, join);
            }
            if (message instanceof ClientMessage.Leave leave) {
                return leave(state, peer, leave);
            }
            if (message instanceof ClientMessage.Relay relay) {
                return relay(state, peer, relay);
            }
            return new Outcome(List.of(new Delivery(peer, new ServerMessage.Pong(message.id()))), null);
        }
        if (event instanceof SignalingEvent.Disconnect disconnect) {
            return new Outcome(departure(state.leave(peer), peer, disconnect.reason(), new ArrayList<>()), null);
        }
        List<Delivery> deliveries = new ArrayList<>();
        deliveries.add(new Delivery(peer, ServerMessage.GoAway.shutdown()));
        return new Outcome(departure(state.leave(peer), peer, LeaveReason.SHUTDOWN, deliveries), null);
    }

    private Outcome join(Membership state, boolean draining, PeerId peer, ClientMessage.Join join) {
        if (draining) {
            return Outcome.refused(peer, ErrorCode.SERVER_SHUTTING_DOWN,
                    "the server is shutting down; join again after reconnecting", join.id());
        }
        JoinResult result = state.join(join.room(), peer, maxPeersPerRoom);
        if (result instanceof JoinResult.AlreadyInRoom already) {
            return Outcome.refused(peer, ErrorCode.ALREADY_IN_ROOM,
                    "already in room '" + already.current() + "'; leave it first", join.id());
        }
        if (result instanceof JoinResult.RoomFull full) {
            return Outcome.refused(peer, ErrorCode.ROOM_FULL,
                    "room '" + full.room() + "' is full (" + full.maxPeers() + " peers)", join.id());
        }
        JoinResult.Joined joined = (JoinResult.Joined) result;
        List<Delivery> deliveries = new ArrayList<>(joined.others().size() + 1);
        deliveries.add(new Delivery(peer, new ServerMessage.Joined(join.id(), joined.room(), peer, joined.others(), false)));
        ServerMessage.PeerJoined announcement = new ServerMessage.PeerJoined(joined.room(), peer, true);
        for (PeerId other : joined.others()) {
            deliveries.add(new Delivery(other, announcement));
        }
        return new Outcome(deliveries, null);
    }

    private Outcome leave(Membership state, PeerId peer, ClientMessage.Leave leave) {
        Optional<Departure> departure = state.leave(peer);
        if (departure.isEmpty()) {
            return Outcome.refused(peer, ErrorCode.NOT_IN_ROOM, "not in a room", leave.id());
        }
        List<Delivery> deliveries = new ArrayList<>();
        deliveries.add(new Delivery(peer, new ServerMessage.Left(leave.id(), departure.get().room())));
        return new Outcome(departure(departure, peer, LeaveReason.LEAVE, deliveries), null);
    }

    private Outcome relay(Membership state, PeerId peer, ClientMessage.Relay relay) {
        Optional<RoomId> room = state.roomOf(peer);
        if (room.isEmpty()) {
            return Outcome.refused(peer, ErrorCode.NOT_IN_ROOM, "join a room before sending " + relay.type(), relay.id());
        }
        if (!PeerId.isValid(relay.to()) || !room.equals(state.roomOf(PeerId.of(relay.to())))) {
            return Outcome.refused(peer, ErrorCode.PEER_NOT_FOUND,
                    "no peer '" + PeerId.abbreviate(relay.to()) + "' in room '" + room.get() + "'", relay.id());
        }
        PeerId to = PeerId.of(relay.to());
        return new Outcome(List.of(new Delivery(to, new ServerMessage.Relayed(relay.kind(), peer, to, relay.payload()))),
                null);
    }

    private static List<Delivery> departure(Optional<Departure> departure, PeerId peer, LeaveReason reason,
                                            List<Delivery> deliveries) {
        if (departure.isPresent()) {
            ServerMessage.PeerLeft notice = new ServerMessage.PeerLeft(departure.get().room(), peer, reason);
            for (PeerId other : departure.get().remaining()) {
                deliveries.add(new Delivery(other, notice));
            }
        }
        return deliveries;
    }
}
