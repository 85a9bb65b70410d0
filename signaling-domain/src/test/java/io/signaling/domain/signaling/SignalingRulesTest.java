package io.signaling.domain.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.ServerMessage.Error;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalingRulesTest {

    private static final PeerId A = PeerId.of("a");
    private static final PeerId B = PeerId.of("b");
    private static final PeerId C = PeerId.of("c");
    private static final RoomId R = RoomId.of("r");
    private static final RoomId S = RoomId.of("s");

    private final Rooms rooms = new Rooms();
    private final SignalingRules rules = new SignalingRules(2);

    private SignalingRules.Outcome send(PeerId peer, ClientMessage message) {
        return rules.apply(rooms, false, new SignalingEvent.Message(peer, message));
    }

    private SignalingRules.Outcome join(PeerId peer, RoomId room) {
        return send(peer, new ClientMessage.Join(null, room));
    }

    private static void assertRefused(SignalingRules.Outcome outcome, PeerId to, ErrorCode code, String id) {
        assertThat(outcome.failure()).contains(code);
        assertThat(outcome.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.to()).isEqualTo(to);
            Error error = (Error) d.message();
            assertThat(error.code()).isEqualTo(code);
            assertThat(error.id()).isEqualTo(id);
            assertThat(error.message()).isNotBlank();
            assertThat(error.retryAfterMs()).isNull();
        });
    }

    @Test
    void firstJoinerGetsAnEmptyPeerListAndNobodyElseHearsOfIt() {
        var outcome = send(A, new ClientMessage.Join("j1", R));
        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.deliveries()).containsExactly(
                new Delivery(A, new ServerMessage.Joined("j1", R, A, List.of(), false)));
        assertThat(rooms.roomOf(A)).contains(R);
    }

    @Test
    void newcomerIsImpoliteAndExistingPeersArePoliteTowardIt() {
        join(A, R);
        var outcome = send(B, new ClientMessage.Join("j2", R));
        assertThat(outcome.deliveries()).containsExactly(
                new Delivery(B, new ServerMessage.Joined("j2", R, B, List.of(A), false)),
                new Delivery(A, new ServerMessage.PeerJoined(R, B, true)));
    }

    @Test
    void roomsAreIsolated() {
        join(A, R);
        var outcome = join(B, S);
        assertThat(outcome.deliveries()).containsExactly(
                new Delivery(B, new ServerMessage.Joined(null, S, B, List.of(), false)));
    }

    @Test
    void joinWhileInARoomIsAlreadyInRoomEvenForTheSameRoom() {
        join(A, R);
        assertRefused(send(A, new ClientMessage.Join("x", S)), A, ErrorCode.ALREADY_IN_ROOM, "x");
        assertRefused(send(A, new ClientMessage.Join(null, R)), A, ErrorCode.ALREADY_IN_ROOM, null);
        assertThat(rooms.roomOf(A)).contains(R);
    }

    @Test
    void aFullRoomRefusesTheNextPeerAndLeavesStateUnchanged() {
        join(A, R);
        join(B, R);
        assertRefused(send(C, new ClientMessage.Join("full", R)), C, ErrorCode.ROOM_FULL, "full");
        assertThat(rooms.roomOf(C)).isEmpty();
        assertThat(rooms.members(R)).containsExactly(A, B);
        send(B, new ClientMessage.Leave(null));
        assertThat(join(C, R).failure()).isEmpty();
    }

    @Test
    void joinDuringTheDrainIsRefused() {
        var outcome = rules.apply(rooms, true, new SignalingEvent.Message(A, new ClientMessage.Join("d", R)));
        assertRefused(outcome, A, ErrorCode.SERVER_SHUTTING_DOWN, "d");
        assertThat(rooms.roomOf(A)).isEmpty();
    }

    @Test
    void leaveRepliesLeftAndTellsTheOthers() {
        join(A, R);
        join(B, R);
        join(C, S);
        var outcome = send(A, new ClientMessage.Leave("l"));
        assertThat(outcome.deliveries()).containsExactly(
                new Delivery(A, new ServerMessage.Left("l", R)),
                new Delivery(B, new ServerMessage.PeerLeft(R, A, LeaveReason.LEAVE)));
        assertThat(rooms.roomOf(A)).isEmpty();
    }

    @Test
    void leaveOfTheLastPeerRemovesTheRoom() {
        join(A, R);
        send(A, new ClientMessage.Leave(null));
        assertThat(rooms.roomCount()).isZero();
        assertThat(rooms.members(R)).isEmpty();
    }

    @Test
    void leaveOutsideARoomIsNotInRoom() {
        assertRefused(send(A, new ClientMessage.Leave("l")), A, ErrorCode.NOT_IN_ROOM, "l");
    }

    @Test
    void relayReachesOnlyItsTargetWithFromAndTheUnchangedPayload() {
        join(A, R);
        join(B, R);
        String payload = "{\"sdp\":\"v=0\\r\\n\",\"type\":\"offer\"}";
        for (RelayKind kind : RelayKind.values()) {
            var outcome = send(A, new ClientMessage.Relay("m", kind, "b", payload));
            assertThat(outcome.deliveries()).containsExactly(
                    new Delivery(B, new ServerMessage.Relayed(kind, A, B, payload)));
        }
    }

    @Test
    void endOfCandidatesIsRelayedAsNull() {
        join(A, R);
        join(B, R);
        var outcome = send(B, new ClientMessage.Relay(null, RelayKind.CANDIDATE, "a", "null"));
        assertThat(outcome.deliveries()).containsExactly(
                new Delivery(A, new ServerMessage.Relayed(RelayKind.CANDIDATE, B, A, "null")));
    }

    @Test
    void relayOutsideARoomIsNotInRoom() {
        join(B, R);
        assertRefused(send(A, new ClientMessage.Relay("o", RelayKind.OFFER, "b", "{}")), A, ErrorCode.NOT_IN_ROOM, "o");
    }

    @Test
    void relayToAPeerOfAnotherRoomOrToNobodyIsPeerNotFound() {
        join(A, R);
        join(C, S);
        assertRefused(send(A, new ClientMessage.Relay("1", RelayKind.OFFER, "c", "{}")), A, ErrorCode.PEER_NOT_FOUND, "1");
        assertRefused(send(A, new ClientMessage.Relay("2", RelayKind.ANSWER, "ghost", "{}")), A, ErrorCode.PEER_NOT_FOUND, "2");
        assertRefused(send(A, new ClientMessage.Relay("3", RelayKind.CANDIDATE, "not a/valid id", "{}")), A,
                ErrorCode.PEER_NOT_FOUND, "3");
        assertRefused(send(A, new ClientMessage.Relay("4", RelayKind.CANDIDATE, "", "{}")), A, ErrorCode.PEER_NOT_FOUND, "4");
    }

    @Test
    void pingGetsPongWithTheId() {
        assertThat(send(A, new ClientMessage.Ping("p")).deliveries())
                .containsExactly(new Delivery(A, new ServerMessage.Pong("p")));
    }

    @Test
    void disconnectAndTimeoutTellTheOthersAndNothingToTheGonePeer() {
        join(A, R);
        join(B, R);
        join(C, S);
        var outcome = rules.apply(rooms, false, new SignalingEvent.Disconnect(A, LeaveReason.DISCONNECT));
        assertThat(outcome.deliveries()).containsExactly(
                new Delivery(B, new ServerMessage.PeerLeft(R, A, LeaveReason.DISCONNECT)));
        outcome = rules.apply(rooms, false, new SignalingEvent.Disconnect(B, LeaveReason.TIMEOUT));
        assertThat(outcome.deliveries()).isEmpty();
        assertThat(rooms.roomOf(B)).isEmpty();
        outcome = rules.apply(rooms, false, new SignalingEvent.Disconnect(PeerId.of("never-joined"), LeaveReason.TIMEOUT));
        assertThat(outcome.deliveries()).isEmpty();
    }

    @Test
    void drainSendsGoawayThenPeerLeftShutdown() {
        join(A, R);
        join(B, R);
        var outcome = rules.apply(rooms, true, new SignalingEvent.Drain(A));
        assertThat(outcome.deliveries()).containsExactly(
                new Delivery(A, new ServerMessage.GoAway("shutdown", true)),
                new Delivery(B, new ServerMessage.PeerLeft(R, A, LeaveReason.SHUTDOWN)));
        assertThat(rooms.roomOf(A)).isEmpty();
        assertThat(rules.apply(rooms, true, new SignalingEvent.Drain(C)).deliveries())
                .containsExactly(new Delivery(C, ServerMessage.GoAway.shutdown()));
    }

    @Test
    void relaysAndLeaveAndPingKeepWorkingDuringTheDrain() {
        join(A, R);
        join(B, R);
        assertThat(rules.apply(rooms, true, new SignalingEvent.Message(A,
                new ClientMessage.Relay(null, RelayKind.OFFER, "b", "1"))).failure()).isEmpty();
        assertThat(rules.apply(rooms, true, new SignalingEvent.Message(A, new ClientMessage.Ping(null))).failure()).isEmpty();
        assertThat(rules.apply(rooms, true, new SignalingEvent.Message(A, new ClientMessage.Leave(null))).failure()).isEmpty();
    }
}
