package io.signaling.domain.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of join, leave, relay, disconnect and drain over many peers, checked against
 * an independent reconstruction of what each peer should know from the messages it received.
 */
class SignalingRulesPropertyTest {

    private static final int PEERS = 40;
    private static final int ROOMS = 5;
    private static final int STEPS = 5_000;

    /** What one peer has learned from its own inbox. */
    private static final class View {
        RoomId room;
        final Set<PeerId> roomMates = new LinkedHashSet<>();
        boolean gone;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026, 99_991})
    void invariantsHoldOverRandomSequences(long seed) {
        Random random = new Random(seed);
        Rooms rooms = new Rooms();
        SignalingRules rules = new SignalingRules(4);
        List<PeerId> peers = new ArrayList<>();
        Map<PeerId, View> views = new HashMap<>();
        for (int i = 0; i < PEERS; i++) {
            PeerId peer = PeerId.of("p" + i);
            peers.add(peer);
            views.put(peer, new View());
        }
        boolean draining = false;
        int relaysDelivered = 0;
        int joins = 0;

        for (int step = 0; step < STEPS; step++) {
            PeerId peer = peers.get(random.nextInt(PEERS));
            if (views.get(peer).gone) {
                continue;
            }
            SignalingEvent event;
            int dice = random.nextInt(100);
            String id = random.nextBoolean() ? "r" + step : null;
            if (dice < 35) {
                event = new SignalingEvent.Message(peer, new ClientMessage.Join(id, RoomId.of("room" + random.nextInt(ROOMS))));
            } else if (dice < 50) {
                event = new SignalingEvent.Message(peer, new ClientMessage.Leave(id));
            } else if (dice < 90) {
                String to = peers.get(random.nextInt(PEERS)).value();
                event = new SignalingEvent.Message(peer, new ClientMessage.Relay(id,
                        RelayKind.values()[random.nextInt(3)], to, "{\"n\":" + step + "}"));
            } else if (dice < 97) {
                event = new SignalingEvent.Disconnect(peer, random.nextBoolean() ? LeaveReason.DISCONNECT : LeaveReason.TIMEOUT);
            } else {
                event = new SignalingEvent.Drain(peer);
            }
            if (step == STEPS * 9 / 10) {
                draining = true;
            }
            Set<PeerId> sameRoomBefore = new HashSet<>();
            rooms.roomOf(peer).ifPresent(r -> sameRoomBefore.addAll(rooms.members(r)));

            SignalingRules.Outcome outcome = rules.apply(rooms, draining, event);

            for (Delivery delivery : outcome.deliveries()) {
                View view = views.get(delivery.to());
                assertThat(view.gone).as("nothing is delivered to a peer after it is gone").isFalse();
                ServerMessage message = delivery.message();
                if (message instanceof ServerMessage.Joined joined) {
                    assertThat(view.room).isNull();
                    assertThat(joined.polite()).isFalse();
                    view.room = joined.room();
                    view.roomMates.addAll(joined.peers());
                    joins++;
                } else if (message instanceof ServerMessage.PeerJoined pj) {
                    assertThat(pj.room()).isEqualTo(view.room);
                    assertThat(pj.polite()).isTrue();
                    assertThat(view.roomMates.add(pj.peerId())).as("peer-joined once").isTrue();
                } else if (message instanceof ServerMessage.PeerLeft pl) {
                    assertThat(pl.room()).isEqualTo(view.room);
                    assertThat(view.roomMates.remove(pl.peerId())).as("peer-left of a known room-mate").isTrue();
                } else if (message instanceof ServerMessage.Left left) {
                    assertThat(left.room()).isEqualTo(view.room);
                    view.room = null;
                    view.roomMates.clear();
                } else if (message instanceof ServerMessage.Relayed relayed) {
                    assertThat(relayed.from()).isEqualTo(peer);
                    assertThat(relayed.to()).isEqualTo(delivery.to());
                    assertThat(event).isInstanceOfSatisfying(SignalingEvent.Message.class, m ->
                            assertThat(((ClientMessage.Relay) m.message()).to()).isEqualTo(delivery.to().value()));
                    assertThat(sameRoomBefore).as("relay only within the sender's room").contains(delivery.to(), peer);
                    if (!delivery.to().equals(peer)) {
                        assertThat(view.roomMates).as("the recipient knows the sender").contains(peer);
                    }
                    relaysDelivered++;
                } else if (message instanceof ServerMessage.GoAway) {
                    assertThat(delivery.to()).isEqualTo(peer);
                } else if (message instanceof ServerMessage.Error error) {
                    assertThat(delivery.to()).isEqualTo(peer);
                    assertThat(error.id()).isEqualTo(id);
                }
            }
            if (event instanceof SignalingEvent.Disconnect || event instanceof SignalingEvent.Drain) {
                views.get(peer).gone = true;
                views.get(peer).room = null;
                // The client reconnects under a new peer id, as a real one would.
                PeerId fresh = PeerId.of("p" + views.size());
                peers.set(peers.indexOf(peer), fresh);
                views.put(fresh, new View());
            }

            // Every peer's view, built from its inbox only, matches the state.
            Map<RoomId, List<PeerId>> snapshot = rooms.snapshot();
            Set<PeerId> seen = new HashSet<>();
            snapshot.forEach((room, members) -> {
                assertThat(members).isNotEmpty().doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(4);
                for (PeerId member : members) {
                    assertThat(seen.add(member)).as("a peer is in at most one room").isTrue();
                    View view = views.get(member);
                    assertThat(view.room).isEqualTo(room);
                    Set<PeerId> others = new HashSet<>(members);
                    others.remove(member);
                    assertThat(view.roomMates).as("%s knows of every join and leave", member).isEqualTo(others);
                }
            });
            for (PeerId p : views.keySet()) {
                if (!seen.contains(p)) {
                    assertThat(views.get(p).room).isNull();
                }
            }
        }
        assertThat(joins).as("the sequence exercised joins").isGreaterThan(50);
        assertThat(relaysDelivered).as("the sequence exercised relays").isGreaterThan(50);
    }
}
