package io.signaling.application.rooms;

import io.signaling.application.signaling.RoomControl;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.Member;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.cluster.RoomState;
import io.signaling.ports.cluster.RoomSummary;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The room management use case: list, inspect, remove a peer, close a room, cluster-wide. Each
 * action is logged at info with who asked ({@code actor}: an admin token's {@code sub}, or
 * {@value #ADMIN_LISTENER}), counted in {@code signaling.rooms.admin.actions} by action and
 * outcome, and traced as a {@code signaling.rooms.<action>} span.
 *
 * <p>A peer on another node is removed by that node (the only one holding its connection): this
 * node asks it through its inbox and waits, up to the removal timeout, for the shared store to no
 * longer list the peer. A room is closed in the store in one step, then every node removes its own.
 *
 * <p>Thread-safety: safe for concurrent requests; calls block up to the store's command timeout
 * (and a remote removal up to the removal timeout), so run them on worker threads.
 */
public final class RoomAdmin {

    /** Who acted, when the request came through the admin listener (which takes no credentials). */
    public static final String ADMIN_LISTENER = "admin listener";

    /** What a removal came to. */
    public enum Removal {
        /** The peer is out of the room. */
        REMOVED,
        /** No such peer in that room (never was, or gone already). */
        NOT_FOUND,
        /** Its node did not confirm in time; the removal may still happen. */
        UNCONFIRMED
    }

    /** A room's member as the API shows it. */
    public record Peer(PeerId peerId, String identity, NodeId node, long joinedAtMillis, String protocol, String state) {
    }

    /** A room as the API shows it. */
    public record Room(RoomId name, long createdAtMillis, List<Peer> peers) {
    }

    private final RoomControl control;
    private final Logger log;
    private final Tracer tracer;
    private final Metrics metrics;
    private final Duration removalTimeout;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Metrics.Counter> counters = new ConcurrentHashMap<>();

    private RoomAdmin(Builder b) {
        this.control = b.control;
        this.log = b.loggers.logger(RoomAdmin.class);
        this.tracer = b.tracer;
        this.metrics = b.metrics;
        this.removalTimeout = b.removalTimeout;
        this.nanoTime = b.nanoTime;
    }

    public static Builder builder(RoomControl control) {
        return new Builder(control);
    }

    /** Up to {@code limit} rooms in name order after {@code after} (exclusive; null from the first). */
    public List<RoomSummary> list(RoomId after, int limit, String actor) {
        return act("list", null, null, actor, () -> {
            List<RoomSummary> page = control.rooms(after, limit);
            return new Result<>(page, "ok");
        });
    }

    /** The room with its peers; empty when it has none. */
    public Optional<Room> room(RoomId room, String actor) {
        return act("get", room, null, actor, () -> {
            Optional<Room> found = control.room(room).map(this::view);
            return new Result<>(found, found.isPresent() ? "ok" : "not_found");
        });
    }

    private Room view(RoomState state) {
        List<Peer> peers = state.members().stream().map(entry -> {
            PeerId peer = entry.member().peer();
            // A peer of this node shows its live state; one elsewhere the state its node stored.
            String live = control.state(peer).orElse(entry.info().suspended() ? RoomControl.SUSPENDED
                    : RoomControl.CONNECTED);
            return new Peer(peer, entry.info().identity(), entry.member().node(), entry.info().joinedAtMillis(),
                    entry.info().protocol(), live);
        }).toList();
        return new Room(state.room(), state.createdAtMillis(), peers);
    }

    /** Removes {@code peer} from {@code room}, wherever its connection is. */
    public Removal remove(RoomId room, PeerId peer, String actor) {
        return act("remove", room, peer, actor, () -> {
            Removal removal = removeNow(room, peer);
            return new Result<>(removal, removal.name().toLowerCase(java.util.Locale.ROOT));
        });
    }

    private Removal removeNow(RoomId room, PeerId peer) {
        if (control.cluster().isEmpty()) {
            return control.removeHere(room, peer) ? Removal.REMOVED : Removal.NOT_FOUND;
        }
        Optional<Member> member = control.room(room).flatMap(state -> state.members().stream()
                .map(RoomState.Entry::member).filter(m -> m.peer().equals(peer)).findFirst());
        if (member.isEmpty()) {
            return Removal.NOT_FOUND;
        }
        if (member.get().node().equals(control.node())) {
            return control.removeHere(room, peer) ? Removal.REMOVED : Removal.NOT_FOUND;
        }
        control.removeOn(member.get().node(), room, peer);
        return awaitGone(room, peer) ? Removal.REMOVED : Removal.UNCONFIRMED;
    }

    /** Polls the store (backing off to 100 ms) until it no longer lists the peer, or the timeout. */
    private boolean awaitGone(RoomId room, PeerId peer) {
        long deadline = nanoTime.getAsLong() + removalTimeout.toNanos();
        long pauseMillis = 5;
        while (true) {
            boolean listed = control.room(room).map(state -> state.members().stream()
                    .anyMatch(e -> e.member().peer().equals(peer))).orElse(false);
            if (!listed) {
                return true;
            }
            if (nanoTime.getAsLong() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            pauseMillis = Math.min(100, pauseMillis * 2);
        }
    }

    /** Closes {@code room}; the number of peers it had, or empty when it had none. */
    public Optional<Integer> close(RoomId room, String actor) {
        return act("close", room, null, actor, () -> {
            List<Member> removed = control.close(room);
            Optional<Integer> count = removed.isEmpty() ? Optional.empty() : Optional.of(removed.size());
            return new Result<>(count, count.isPresent() ? "ok" : "not_found");
        });
    }

    private record Result<T>(T value, String outcome) {
    }

    private <T> T act(String action, RoomId room, PeerId peer, String actor, Supplier<Result<T>> body) {
        Objects.requireNonNull(actor, "actor");
        Span span = tracer.spanBuilder("signaling.rooms." + action).kind(SpanKind.INTERNAL)
                .attribute("signaling.admin.actor", actor).start();
        if (room != null) {
            span.attribute("signaling.room", room.value());
        }
        long started = nanoTime.getAsLong();
        String outcome = "error";
        try (Scope ignored = span.makeCurrent()) {
            Result<T> result = body.get();
            outcome = result.outcome();
            span.attribute("signaling.admin.outcome", outcome);
            return result.value();
        } catch (ClusterUnavailableException e) {
            outcome = "unavailable";
            span.recordError(e).status(SpanStatus.ERROR, outcome);
            throw e;
        } catch (RuntimeException e) {
            span.recordError(e).status(SpanStatus.ERROR, outcome);
            throw e;
        } finally {
            span.end();
            counter(action, outcome).increment();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - started);
            if (action.equals("list") || action.equals("get")) {
                log.debug("room admin action", "action", action, "room", room == null ? null : room.value(),
                        "actor", actor, "outcome", outcome, "took_ms", tookMs);
            } else {
                log.info("room admin action", "action", action, "room", room == null ? null : room.value(),
                        "peer_id", peer == null ? null : peer.value(), "actor", actor, "outcome", outcome,
                        "took_ms", tookMs);
            }
        }
    }

    private Metrics.Counter counter(String action, String outcome) {
        return counters.computeIfAbsent(action + '|' + outcome, key -> metrics.counter("signaling.rooms.admin.actions",
                "Room management API actions, by action and outcome", Tags.of("action", action, "outcome", outcome)));
    }

    /** Assembles a {@link RoomAdmin}. */
    public static final class Builder {
        private final RoomControl control;
        private LoggerFactory loggers = LoggerFactory.noop();
        private Metrics metrics = Metrics.noop();
        private Tracer tracer = Tracer.noop();
        private Duration removalTimeout = Duration.ofSeconds(5);
        private LongSupplier nanoTime = System::nanoTime;

        private Builder(RoomControl control) {
            this.control = Objects.requireNonNull(control, "control");
        }

        public Builder loggers(LoggerFactory loggers) {
            this.loggers = Objects.requireNonNull(loggers, "loggers");
            return this;
        }

        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = Objects.requireNonNull(tracer, "tracer");
            return this;
        }

        /** How long a removal waits for another node to confirm it; default 5 s. */
        public Builder removalTimeout(Duration removalTimeout) {
            if (removalTimeout.isNegative() || removalTimeout.isZero()) {
                throw new IllegalArgumentException("removalTimeout must be positive");
            }
            this.removalTimeout = removalTimeout;
            return this;
        }

        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        public RoomAdmin build() {
            return new RoomAdmin(this);
        }
    }
}
