package io.signaling.application.signaling;

import io.signaling.application.cluster.SignalingCluster;
import io.signaling.application.auth.UpgradeAuthenticator;
import io.signaling.application.ice.TurnCredentials;
import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.Delivery;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.IceServer;
import io.signaling.domain.signaling.LeaveReason;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.domain.signaling.SignalingEvent;
import io.signaling.domain.signaling.SignalingRules;
import io.signaling.domain.signaling.TokenBucket;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.NodeId;
import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.lifecycle.Lifecycle;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import io.signaling.ports.signaling.Decoded;
import io.signaling.ports.signaling.MessageCodec;
import io.signaling.ports.signaling.PeerIdGenerator;
import io.signaling.ports.signaling.RoomRegistry;
import io.signaling.ports.signaling.ResumeSettings;
import io.signaling.ports.signaling.SignalingSettings;
import io.signaling.ports.signaling.TaskScheduler;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.UpgradeDecision;
import io.signaling.ports.websocket.UpgradeRequest;
import io.signaling.ports.websocket.WebSocketListener;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Signaling v1 over WebSocket: the use case the transport calls.
 *
 * <p>On open it gives the connection an unguessable peer id and sends {@code welcome} with the
 * effective limits; each text frame is size-checked, rate-limited (a token bucket per connection;
 * excess frames are dropped with at most one {@code rate-limited} error per second), decoded, run
 * through {@link SignalingRules} and the resulting deliveries are queued on each recipient's
 * connection (the one path of every message: the session holds its connection); on close the room-mates get {@code peer-left} ({@code timeout} for the
 * idle timeout, {@code disconnect} otherwise). {@link #stop} drains: joins are refused and every
 * connection, at a time drawn uniformly over 90% of the drain timeout, gets {@code goaway}, its
 * room-mates get {@code peer-left} with reason {@code shutdown}, and it is closed with 1001.
 *
 * <p>Ordering: the membership change and the hand-off of the messages it causes happen under one
 * lock per room stripe, so every room-mate sees the room's changes in the same order and a
 * relay never overtakes the {@code peer-joined} or {@code peer-left} of its sender; a sender's own
 * messages are handled one at a time (the adapter serializes a connection's callbacks, the drain
 * task takes the session's monitor), so its messages to one recipient keep their order.
 *
 * <p>Sizes: a message is measured in UTF-8 once, where it is made (encoded once for all its
 * recipients) or read (the adapter's measure comes with the frame), and the size travels with it.
 *
 * <p>In a cluster ({@link Builder#cluster}) membership goes through the shared room directory
 * (a join waits for it, under the room's lock, at most the store's command timeout), deliveries to
 * peers on other nodes go to their node's inbox under the same lock (so they keep the order above),
 * and envelopes from other nodes are delivered under the room's lock too. What needs the shared
 * store while it cannot be reached is answered {@code unavailable} with {@code retryAfterMs}.
 * A v1.1 client that resumes with a token of another node has its session handed over from that
 * node ({@link HandOver}): the upgrade's thread waits for the answer, at most a third of the lease.
 *
 * <p>Thread-safety: safe for concurrent callbacks of different connections. Callbacks never block
 * on I/O (a connection's send only queues), except a cluster join or leave, bounded by the store's
 * command timeout, and a resume on another node, bounded as above.
 */
public final class SignalingService implements WebSocketListener, Lifecycle {

    /** The WebSocket subprotocol of protocol v1.1. */
    public static final String SUBPROTOCOL_V11 = "signaling.v1.1";

    private static final long ONE_SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String UNDECODED = "unknown";
    private static final String GOING_AWAY_REASON = "server shutting down";
    /** (v1.1) The query parameters of a resume. */
    static final String RESUME_PARAMETER = "resume";
    static final String LAST_SEQ_PARAMETER = "lastSeq";
    private static final long MAX_SEQ = (1L << 53) - 1;
    private static final int CLOSE_REPLACED = CloseCodes.REPLACED;

    private final MessageCodec codec;
    private final RoomRegistry registry;
    private final SignalingCluster cluster;
    private final SignalingSettings settings;
    private final SignalingRules rules;
    private final PeerIdGenerator peerIds;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;
    private final TaskScheduler injectedScheduler;
    private final Logger log;
    private final Tracer tracer;
    private final Metrics metrics;
    private final String welcomeLimitsLog;
    private final UpgradeAuthenticator authenticator;
    private final TurnCredentials iceServers;
    private final IceRefresh iceRefresh;
    private final ClusterBridge bridge;
    private final ResumeSettings resume;
    private final SecureRandom tokens = new SecureRandom();
    private final ResumeMetrics resumeMetrics;
    /** (v1.1, cluster) Resume on another node; {@code null} outside a cluster. */
    private final HandOver handOver;
    /** Notified when a session ends or is handed out: the end of a drain waits for the suspended ones. */
    private final Object handOverLock = new Object();
    private final Object timersLock = new Object();
    private ScheduledExecutorService ownedTimers;
    private TaskScheduler timers;

    private final SessionTable sessions = new SessionTable();
    private final RoomControl roomControl;

    private final ConcurrentMap<String, Metrics.Counter> messageCounters = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Metrics.Counter> errorCounters = new EnumMap<>(ErrorCode.class);
    private final Metrics.Timer relayTimer;

    private final Object drainLock = new Object();
    private volatile boolean draining;
    private CompletableFuture<Void> drained;
    private final Set<Session> pendingDrain = ConcurrentHashMap.newKeySet();
    private volatile boolean drainArmed;
    private long drainStartNanos;
    private long drainBudgetNanos;
    private long drainTimeoutNanos;
    private TaskScheduler drainScheduler;
    private ScheduledExecutorService ownedExecutor;

    private SignalingService(Builder b) {
        this.codec = Objects.requireNonNull(b.codec, "codec");
        this.cluster = b.cluster;
        this.registry = cluster != null ? cluster.rooms()
                : new TimedRegistry(b.registry != null ? b.registry : new InMemoryRoomRegistry(), System::currentTimeMillis);
        this.settings = b.settings;
        this.rules = new SignalingRules(settings.maxPeersPerRoom());
        this.peerIds = b.peerIds != null ? b.peerIds : new SecureRandomPeerIdGenerator(new SecureRandom());
        this.nanoTime = b.nanoTime;
        this.random = b.random;
        this.injectedScheduler = b.scheduler;
        this.log = b.loggers.logger(SignalingService.class);
        this.tracer = b.tracer;
        this.metrics = b.metrics;
        for (ErrorCode code : ErrorCode.values()) {
            errorCounters.put(code, metrics.counter("signaling.errors", "Signaling error messages sent to clients, by code",
                    Tags.of("code", code.wire())));
        }
        this.relayTimer = metrics.timer("signaling.relay",
                "Time from receipt of a relayed message to its hand-off to the recipient's queue", Tags.empty());
        metrics.gauge("signaling.rooms.active", "Rooms with at least one peer on this node", Tags.empty(),
                registry::roomCount);
        metrics.gauge("signaling.peers.active", "Peers in a room on this node", Tags.empty(), registry::peerCount);
        this.welcomeLimitsLog = settings.limits().toString();
        this.authenticator = b.accessTokens == null ? null : new UpgradeAuthenticator(b.accessTokens, b.loggers, metrics);
        this.iceServers = b.iceServers;
        this.iceRefresh = iceServers == null ? null
                : new IceRefresh(iceServers, codec, random, injectedScheduler, this::send);
        this.roomControl = new RoomControl(registry, cluster, codec, sessions::get, sessions::lockOf,
                System::currentTimeMillis, this::send, b.loggers.logger(RoomControl.class));
        this.bridge = cluster == null ? null
                : new ClusterBridge(cluster, sessions, registry, codec, this::send, this::sendError, roomControl);
        this.resume = b.resume;
        this.resumeMetrics = new ResumeMetrics(metrics);
        this.handOver = cluster == null ? null
                : new HandOver(cluster, new HandOverHost(), b.loggers.logger(HandOver.class), nanoTime, this::timers);
        if (bridge != null) {
            bridge.handOver(handOver, this::sendForwarded);
        }
    }

    /**
     * The service needs no hub: it reaches each peer through the connection its session holds, so
     * it can be built before the endpoint that calls it.
     */
    public static Builder builder(MessageCodec codec) {
        return new Builder(codec);
    }

    /** The effective settings, as {@code welcome} reports them. */
    public SignalingSettings settings() {
        return settings;
    }

    /** The membership store in use (the in-memory one unless another was given). */
    public RoomRegistry roomRegistry() {
        return registry;
    }

    /** The room management API's hold on this node's rooms and peers. */
    public RoomControl roomControl() {
        return roomControl;
    }

    /** Whether the shutdown drain has begun. */
    public boolean isDraining() {
        return draining;
    }

    @Override
    public String name() {
        return "signaling";
    }

    @Override
    public void start() {
        if (cluster != null) {
            cluster.start(bridge);
        }
        log.debug("signaling ready", "limits", welcomeLimitsLog);
    }

    // ---------------------------------------------------------------- connection events

    /** Under {@code auth.mode: jwt}, the access token decides; otherwise every upgrade is accepted. */
    @Override
    public UpgradeDecision onUpgrade(UpgradeRequest request) {
        return authenticator == null ? UpgradeDecision.accept() : authenticator.decide(request);
    }

    @Override
    public List<String> subprotocols() {
        return List.of(SUBPROTOCOL_V11);
    }

    @Override
    public void onOpen(WebSocketConnection connection) {
        String presented = SUBPROTOCOL_V11.equals(connection.subprotocol()) && resume.enabled()
                ? connection.queryParameter(RESUME_PARAMETER) : null;
        if (presented != null && handOver != null && handOver.elsewhere(ResumeToken.parse(presented))) {
            // Held by another node of the cluster: it hands the session over, or this is a new one.
            if (handOver.resume(connection, ResumeToken.parse(presented),
                    parseLastSeq(connection.queryParameter(LAST_SEQ_PARAMETER)))) {
                return;
            }
        } else if (presented != null && resumeSession(connection, presented)) {
            return;
        }
        openSession(connection, presented == null ? null : Boolean.FALSE);
    }

    /** A new session; {@code resumed} is {@code false} when it replaces a resume that failed, else {@code null}. */
    private void openSession(WebSocketConnection connection, Boolean resumed) {
        PeerId peerId = peerIds.next();
        Session session = new Session(peerId, connection, new TokenBucket(settings.messagesPerSecond(),
                settings.burst(), nanoTime.getAsLong()), log.with("peer_id", peerId.value()));
        while (!sessions.add(session)) {
            // Only a predictable test generator can collide; never reuse a live peer's id.
            peerId = peerIds.next();
            session = new Session(peerId, connection, session.bucket, log.with("peer_id", peerId.value()));
        }
        connection.attach(session);
        synchronized (session) {
            ServerMessage.Resume fields = null;
            if (session.v11) {
                ResumeToken token = resume.enabled()
                        ? ResumeToken.issue(peerId, cluster == null ? null : cluster.node().value(), tokens) : null;
                session.resumption = new Resumption(new Replay(resume.bufferMessages(), resume.bufferBytes(), codec,
                        connection), token);
                fields = new ServerMessage.Resume(token == null ? null : token.value(), resume.window().toMillis(),
                        resumed, null, null);
            }
            ServerMessage.Welcome welcome = new ServerMessage.Welcome(peerId, settings.limits(), session.identity(),
                    issueIceServers(session)).withResume(fields);
            // Unnumbered and first: nobody else can reach a session that is in no room yet.
            connection.send(TextFrame.of(codec.encode(welcome)));
            session.log.debug("peer connected", "resumed", resumed);
            if (draining) {
                scheduleDrain(session);
            }
        }
    }

    /** Fresh ICE servers for {@code welcome}, and the refresh scheduled on v1.1. Call holding the session's monitor. */
    private List<IceServer> issueIceServers(Session session) {
        if (iceServers == null || !iceServers.configured()) {
            return List.of();
        }
        TurnCredentials.Issued issued = iceServers.issue();
        IceRefresh.cancel(session);
        if (session.v11 && iceRefresh.expiring()) {
            iceRefresh.schedule(session);
        }
        return issued.servers();
    }

    // ---------------------------------------------------------------- resume (v1.1)

    /**
     * Resumes the session {@code presented} names on {@code connection}, or ends it when the token
     * is its current one but the resume cannot be honoured.
     *
     * @return whether it resumed; when not, the caller opens a new session ({@code resumed:false})
     */
    private boolean resumeSession(WebSocketConnection connection, String presented) {
        ResumeToken token = ResumeToken.parse(presented);
        Session session = token == null ? null : sessions.get(token.peer());
        if (session == null || session.resumption == null) {
            resumeMetrics.failed("unknown");
            return false;
        }
        long lastSeq = parseLastSeq(connection.queryParameter(LAST_SEQ_PARAMETER));
        synchronized (session) {
            Resumption state = session.resumption;
            if (session.closed || !state.accepts(token)) {
                // Used, expired or forged: the session it names (if any) is not touched.
                resumeMetrics.failed("unknown");
                return false;
            }
            // Single use: whatever happens next, the presented token is spent.
            ResumeToken fresh = state.rotate(session.peerId, tokens);
            String failure = failedResumeCheck(session, connection, lastSeq);
            if (failure != null) {
                resumeMetrics.failed(failure);
                session.log.info("resume refused; the session ends", "check", failure);
                WebSocketConnection previous = session.connection;
                endSession(session, state.phase() == Resumption.Phase.SUSPENDED ? state.suspendReason()
                        : LeaveReason.DISCONNECT, "resume refused: " + failure);
                if (previous.isOpen()) {
                    previous.close(CLOSE_REPLACED, "replaced");
                }
                return false;
            }
            WebSocketConnection previous = session.connection;
            boolean halfOpen = state.phase() == Resumption.Phase.CONNECTED;
            session.connection = connection;
            session.grant = connection.grant().orElse(null);
            connection.attach(session);
            if (session.drained) {
                // Drained here earlier and back on this node (possible only before it stops accepting).
                session.drained = false;
                session.drainTask = null;
            }
            RoomId room = registry.roomOf(session.peerId).orElse(null);
            ServerMessage.Welcome welcome = new ServerMessage.Welcome(session.peerId, settings.limits(),
                    session.identity(), issueIceServers(session)).withResume(new ServerMessage.Resume(fresh.value(),
                    resume.window().toMillis(), true, room, state.lastClientSeq()));
            int replayed = state.replay.resume(lastSeq, connection, TextFrame.of(codec.encode(welcome)));
            long suspendedNanos = state.resumed(nanoTime.getAsLong());
            if (suspendedNanos >= 0) {
                storeSuspended(session.peerId, false);
            }
            if (halfOpen) {
                previous.close(CLOSE_REPLACED, "replaced");
            }
            resumeMetrics.resumed(false, replayed, suspendedNanos);
            session.log.debug("session resumed", "replayed", replayed, "last_seq", lastSeq, "half_open", halfOpen);
            if (draining) {
                scheduleDrain(session);
            }
            return true;
        }
    }

    /** Why the session cannot resume on {@code connection}, or {@code null} when it can. */
    private String failedResumeCheck(Session session, WebSocketConnection connection, long lastSeq) {
        AccessGrant grant = connection.grant().orElse(null);
        if (authenticator != null) {
            if (grant == null || !grant.identity().equals(session.identity())) {
                return "identity";
            }
            RoomId room = registry.roomOf(session.peerId).orElse(null);
            if (room != null && !grant.allows(room)) {
                return "identity";
            }
        }
        if (!session.resumption.replay.canResumeFrom(lastSeq)) {
            return session.resumption.replay.overflowed() ? "overflow" : "sequence";
        }
        return null;
    }

    /** {@code lastSeq}: a whole number 0..2^53-1, else -1 (which no replay accepts). */
    private static long parseLastSeq(String text) {
        if (text == null || text.isEmpty() || text.length() > 16) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        long value = Long.parseLong(text);
        return value <= MAX_SEQ ? value : -1;
    }

    /** The connection is gone but the session stays for the window. Call holding the session's monitor. */
    private void suspend(Session session, LeaveReason reason) {
        IceRefresh.cancel(session);
        if (session.drainTask != null) {
            session.drainTask.cancel();
            session.drainTask = null;
        }
        TaskScheduler.Cancellable expiry = timers().schedule(resume.window(), () -> expire(session, false));
        session.resumption.suspend(nanoTime.getAsLong(), reason, expiry);
        resumeMetrics.suspended();
        storeSuspended(session.peerId, true);
        session.log.debug("session suspended", "reason", reason.wire(), "window_ms", resume.window().toMillis());
    }

    /**
     * In a cluster, the room management API of every node shows a suspended peer: the state goes to
     * the shared store, off the caller's thread (in order: one timer thread).
     */
    private void storeSuspended(PeerId peer, boolean suspended) {
        RoomId room = cluster == null ? null : registry.roomOf(peer).orElse(null);
        if (room != null) {
            timers().schedule(Duration.ZERO, () -> cluster.markSuspended(room, peer, suspended));
        }
    }

    /** The window ran out, or the buffer overflowed: the session ends as it would have without resume. */
    private void expire(Session session, boolean overflow) {
        synchronized (session) {
            if (session.closed || !session.suspended()) {
                return;
            }
            if (overflow) {
                resumeMetrics.overflowed();
            } else {
                resumeMetrics.expired();
            }
            endSession(session, session.resumption.suspendReason(), overflow ? "resume buffer overflow" : "resume window over");
        }
    }

    private TaskScheduler timers() {
        if (injectedScheduler != null) {
            return injectedScheduler;
        }
        synchronized (timersLock) {
            if (timers == null) {
                ownedTimers = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "signaling-resume");
                    thread.setDaemon(true);
                    return thread;
                });
                timers = TaskScheduler.of(ownedTimers);
            }
            return timers;
        }
    }

    /** A text whose size the caller did not measure: measured here. */
    @Override
    public void onText(WebSocketConnection connection, String text) {
        onText(connection, TextFrame.of(text));
    }

    @Override
    public void onText(WebSocketConnection connection, TextFrame frame) {
        long receivedAt = nanoTime.getAsLong();
        Session session = sessionOf(connection);
        if (session == null) {
            return;
        }
        synchronized (session) {
            // After goaway the connection is closing: what it still sends has no one to reach. A socket
            // that a resume replaced speaks for the session no more.
            if (session.closed || session.drained || session.connection != connection) {
                return;
            }
            try {
                handleText(session, frame, receivedAt);
            } catch (RuntimeException e) {
                // A bug here must not take the connection's I/O thread down with it.
                session.log.error("signaling message failed", e);
            }
        }
    }

    @Override
    public void onClose(WebSocketConnection connection, int code, String reason) {
        Session session = sessionOf(connection);
        if (session == null) {
            return;
        }
        synchronized (session) {
            if (session.closed || session.connection != connection) {
                // Ended already, or a socket a resume replaced: the session lives on elsewhere.
                return;
            }
            boolean idle = CloseCodes.IDLE_TIMEOUT_REASON.equals(reason);
            Resumption state = session.resumption;
            if (state != null && resume.enabled() && state.phase() == Resumption.Phase.CONNECTED
                    && (session.drained || code == CloseCodes.ABNORMAL || idle)) {
                suspend(session, session.drained ? LeaveReason.SHUTDOWN : idle ? LeaveReason.TIMEOUT : LeaveReason.DISCONNECT);
            } else if (state == null || state.phase() == Resumption.Phase.CONNECTED) {
                endSession(session, idle ? LeaveReason.TIMEOUT : LeaveReason.DISCONNECT, "code " + code);
            }
        }
        drainDone(session);
    }

    /**
     * The session ends: its room-mates get {@code peer-left} with {@code reason} and it leaves the
     * table. Call holding the session's monitor.
     */
    private void endSession(Session session, LeaveReason leaveReason, String why) {
        session.closed = true;
        if (session.drainTask != null) {
            session.drainTask.cancel();
        }
        IceRefresh.cancel(session);
        if (session.resumption != null) {
            session.resumption.end();
        }
        Span span = tracer.spanBuilder("signaling.disconnect").kind(SpanKind.SERVER)
                .attribute("signaling.reason", leaveReason.wire()).attribute("signaling.why", why).start();
        try (Scope ignored = span.makeCurrent()) {
            applyAndDeliver(session, new SignalingEvent.Disconnect(session.peerId, leaveReason), 0L);
        } catch (RuntimeException e) {
            span.recordError(e).status(SpanStatus.ERROR, "disconnect failed");
            session.log.error("signaling disconnect failed", e);
        } finally {
            span.end();
            sessions.remove(session);
            session.log.debug("peer disconnected", "why", why, "reason", leaveReason.wire());
        }
        drainDone(session);
        handOverProgress();
    }

    private void handOverProgress() {
        synchronized (handOverLock) {
            handOverLock.notifyAll();
        }
    }

    @Override
    public void onError(WebSocketConnection connection, Throwable error) {
        Session session = sessionOf(connection);
        (session == null ? log : session.log).debug("transport error", error);
    }

    private static Session sessionOf(WebSocketConnection connection) {
        return connection.attachment() instanceof Session s ? s : null;
    }

    // ---------------------------------------------------------------- messages

    private void handleText(Session session, TextFrame frame, long receivedAt) {
        if (frame.utf8Bytes() > settings.maxMessageBytes()) {
            // The transport enforces the frame limit first; this guards adapters that do not.
            countMessage(UNDECODED, "too-large");
            sendError(session, ServerMessage.Error.of(ErrorCode.MESSAGE_TOO_LARGE, "message exceeds the limit of "
                    + settings.maxMessageBytes() + " bytes", null));
            session.connection.close(CloseCodes.MESSAGE_TOO_BIG, "message too large");
            return;
        }
        if (!session.bucket.tryAcquire(receivedAt)) {
            countMessage(UNDECODED, "rate-limited");
            if (!session.rateLimitErrorSent || receivedAt - session.lastRateLimitErrorNanos >= ONE_SECOND_NANOS) {
                session.rateLimitErrorSent = true;
                session.lastRateLimitErrorNanos = receivedAt;
                long retryAfter = Math.max(1, session.bucket.millisUntilNextToken(receivedAt));
                sendError(session, new ServerMessage.Error(ErrorCode.RATE_LIMITED, "more than "
                        + settings.messagesPerSecond() + " messages per second (burst " + settings.burst()
                        + "); messages are dropped", null, retryAfter));
            }
            return;
        }
        Decoded decoded;
        try {
            decoded = codec.decode(frame.text());
        } catch (RuntimeException e) {
            session.log.warn("codec threw instead of reporting a decode error", e);
            decoded = new Decoded.Invalid(ErrorCode.BAD_MESSAGE, "message could not be decoded", null);
        }
        if (decoded instanceof Decoded.Invalid invalid) {
            countMessage(UNDECODED, "error");
            sendError(session, ServerMessage.Error.of(invalid.code(), invalid.message(), invalid.id()));
            return;
        }
        Decoded.Message message = (Decoded.Message) decoded;
        if (session.resumption != null && message.seq() != Decoded.Message.NO_SEQ) {
            if (message.seq() == Decoded.Message.INVALID_SEQ) {
                countMessage(UNDECODED, "error");
                sendError(session, ServerMessage.Error.of(ErrorCode.BAD_MESSAGE,
                        "field 'seq' must be a whole number from 1 to 2^53-1, given once", message.message().id()));
                return;
            }
            if (!session.resumption.admitClientSeq(message.seq())) {
                // Sent again after a resume although processed before: at most once, without a reply.
                countMessage(message.message().type(), "duplicate");
                return;
            }
        }
        handleMessage(session, message.message(), receivedAt);
    }

    private void handleMessage(Session session, ClientMessage message, long receivedAt) {
        String type = message.type();
        if (message instanceof ClientMessage.Join join && session.grant != null && !session.grant.allows(join.room())) {
            countMessage(type, "error");
            session.log.debug("message refused", "type", type, "code", ErrorCode.FORBIDDEN.wire());
            sendError(session, ServerMessage.Error.of(ErrorCode.FORBIDDEN, "your access token does not grant room '"
                    + join.room().value() + "'", join.id()));
            return;
        }
        // Only where the transport traces this connection's messages (decided at its handshake).
        Span span = session.connection.tracesMessages()
                ? tracer.spanBuilder(spanName(message)).kind(SpanKind.SERVER).attribute("signaling.type", type).start()
                : Span.noop();
        try (Scope ignored = span.makeCurrent()) {
            SignalingRules.Outcome outcome = applyAndDeliver(session,
                    new SignalingEvent.Message(session.peerId, message), receivedAt);
            if (outcome.error() != null) {
                span.attribute("signaling.error.code", outcome.error().wire())
                        .status(SpanStatus.ERROR, outcome.error().wire());
                countMessage(type, "error");
                errorCounters.get(outcome.error()).increment();
                session.log.debug("message refused", "type", type, "code", outcome.error().wire());
                return;
            }
            countMessage(type, "ok");
            if (message instanceof ClientMessage.Join join) {
                session.log = log.with("peer_id", session.peerId.value(), "room", join.room().value());
                session.log.debug("joined room");
            } else if (message instanceof ClientMessage.Leave) {
                session.log.debug("left room");
                session.log = log.with("peer_id", session.peerId.value());
            }
        } finally {
            span.end();
        }
    }

    /** The message span's name, a constant per type. */
    private static String spanName(ClientMessage message) {
        return message instanceof ClientMessage.Relay ? "signaling.relay"
                : message instanceof ClientMessage.Join ? "signaling.join"
                : message instanceof ClientMessage.Leave ? "signaling.leave" : "signaling.ping";
    }

    /**
     * Applies one event and hands off what it causes under the stripe lock of the room it touches,
     * so that changes of one room reach every member in one order.
     */
    private SignalingRules.Outcome applyAndDeliver(Session session, SignalingEvent event, long receivedAt) {
        return applyAndDeliver(session.peerId, event, receivedAt);
    }

    private SignalingRules.Outcome applyAndDeliver(PeerId peer, SignalingEvent event, long receivedAt) {
        RoomId room = event instanceof SignalingEvent.Message m && m.message() instanceof ClientMessage.Join join
                ? join.room()
                : registry.roomOf(peer).orElse(null);
        if (room == null) {
            SignalingRules.Outcome outcome = apply(event);
            deliver(outcome, receivedAt, null, event);
            return outcome;
        }
        synchronized (sessions.lockOf(room)) {
            SignalingRules.Outcome outcome = apply(event);
            deliver(outcome, receivedAt, room, event);
            if (cluster != null) {
                cluster.settle(room);
            }
            return outcome;
        }
    }

    private SignalingRules.Outcome apply(SignalingEvent event) {
        try {
            return rules.apply(registry, draining, event);
        } catch (ClusterUnavailableException e) {
            // Only a cluster join needs the store before it can answer; leaves never fail toward the client.
            String id = event instanceof SignalingEvent.Message m ? m.message().id() : null;
            log.debug("shared store unavailable", "peer_id", event.peer().value(), "error", e.getMessage());
            return new SignalingRules.Outcome(List.of(new Delivery(event.peer(), bridge.unavailable(id))),
                    ErrorCode.UNAVAILABLE);
        }
    }

    private void deliver(SignalingRules.Outcome outcome, long receivedAt, RoomId room, SignalingEvent event) {
        ServerMessage lastMessage = null;
        TextFrame lastFrame = null;
        for (Delivery delivery : outcome.deliveries()) {
            Session target = sessions.get(delivery.to());
            NodeId remote = null;
            if (target == null) {
                if (bridge == null || room == null || (remote = bridge.remoteNodeOf(delivery.to())) == null) {
                    // Gone between the membership read and now; its onClose removes it from the room.
                    continue;
                }
            }
            ServerMessage message = delivery.message();
            if (message instanceof ServerMessage.Left left && target != null && target.v11 && left.reason() == null) {
                // v1.1 says why a peer is out of its room; v1's `left` has no reason.
                message = left.withReason(LeaveReason.LEAVE);
            }
            if (message != lastMessage) {
                // Encoded and measured once for every recipient of the same message.
                lastMessage = message;
                lastFrame = TextFrame.of(codec.encode(authenticator == null ? lastMessage : withIdentities(lastMessage)));
            }
            if (remote != null) {
                bridge.forward(remote, room, delivery, lastFrame.text(), event);
                continue;
            }
            if (lastMessage instanceof ServerMessage.GoAway) {
                // The drain's last word: relays still queued for it must not hold goaway and 1001
                // past the drain's deadline (docs/reliability.md, fault 1).
                if (target.resumption != null) {
                    // Numbered like every v1.1 message, then the same bounded close.
                    target.resumption.replay.sendLastAndClose(lastFrame, CloseCodes.GOING_AWAY, GOING_AWAY_REASON,
                            drainFlushBudget());
                } else {
                    target.connection.sendLastAndClose(lastFrame, CloseCodes.GOING_AWAY, GOING_AWAY_REASON,
                            drainFlushBudget());
                }
                continue;
            }
            send(target, lastFrame);
            if (lastMessage instanceof ServerMessage.Relayed) {
                relayTimer.recordNanos(nanoTime.getAsLong() - receivedAt);
            }
        }
    }

    /** {@code joined.members} and {@code peer-joined.identity}, from the sessions' grants (auth on only). */
    private ServerMessage withIdentities(ServerMessage message) {
        if (message instanceof ServerMessage.Joined joined) {
            List<ServerMessage.Member> members = new ArrayList<>(joined.peers().size());
            for (PeerId peer : joined.peers()) {
                Session other = sessions.get(peer);
                // A room-mate on another node: the identity its node stored with its membership.
                members.add(new ServerMessage.Member(peer, other != null ? other.identity()
                        : cluster != null ? cluster.identityOf(peer) : null));
            }
            return joined.withMembers(members);
        }
        if (message instanceof ServerMessage.PeerJoined peerJoined) {
            Session newcomer = sessions.get(peerJoined.peerId());
            return newcomer == null ? message : peerJoined.withIdentity(newcomer.identity());
        }
        return message;
    }

    private void sendError(Session session, ServerMessage.Error error) {
        errorCounters.get(error.code()).increment();
        send(session, TextFrame.of(codec.encode(error)));
    }

    /**
     * Queues and returns: a refusal (closed, overflow) is the connection's to handle, and its stage
     * is not awaited. A v1.1 session numbers it and keeps it for a resume; while suspended it is
     * buffered, and an overflow ends the session (from a task: the caller may hold a room's lock,
     * which comes after the session's monitor).
     */
    private void send(Session target, TextFrame frame) {
        Resumption state = target.resumption;
        if (state == null) {
            target.connection.send(frame);
            return;
        }
        if (state.replay.send(frame) == Replay.Outcome.OVERFLOW) {
            timers().schedule(Duration.ZERO, () -> expire(target, true));
        }
    }

    /** A message the old node of a moved session passed on: ahead of what the hand-over holds back. */
    private void sendForwarded(Session target, TextFrame frame) {
        Resumption state = target.resumption;
        if (state == null) {
            target.connection.send(frame);
        } else if (state.replay.sendForwarded(frame) == Replay.Outcome.OVERFLOW) {
            timers().schedule(Duration.ZERO, () -> expire(target, true));
        }
    }

    private void countMessage(String type, String outcome) {
        messageCounters.computeIfAbsent(type + '|' + outcome, key -> metrics.counter("signaling.messages",
                "Signaling messages received, by type and outcome", Tags.of("type", type, "outcome", outcome)))
                .increment();
    }

    // ---------------------------------------------------------------- shutdown drain

    /**
     * Starts the drain (idempotent) and returns a stage that completes when every connection open
     * now has been sent {@code goaway} and closed, or closed by itself.
     */
    public CompletableFuture<Void> drain(Duration drainTimeout) {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        synchronized (drainLock) {
            if (drained != null) {
                return drained;
            }
            drained = new CompletableFuture<>();
            drainStartNanos = nanoTime.getAsLong();
            // A tenth of the timeout is kept back so the last close handshakes finish in time. In a
            // cluster with resume, half: the last drained v1.1 clients still need time to resume on
            // another node, which this node hands their sessions to.
            drainBudgetNanos = Math.max(0, handOver != null && resume.enabled() ? drainTimeout.toNanos() / 2
                    : drainTimeout.toNanos() / 10 * 9);
            drainTimeoutNanos = Math.max(0, drainTimeout.toNanos());
            drainScheduler = injectedScheduler != null ? injectedScheduler : ownScheduler();
            draining = true;
        }
        log.info("signaling drain started", "connections", sessions.size(), "drain_timeout_ms", drainTimeout.toMillis());
        for (Session session : sessions.all()) {
            synchronized (session) {
                if (!session.closed && !session.suspended()) {
                    scheduleDrain(session);
                }
            }
        }
        drainArmed = true;
        completeDrainIfDone();
        return drained;
    }

    private TaskScheduler ownScheduler() {
        ownedExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "signaling-drain");
            thread.setDaemon(true);
            return thread;
        });
        return TaskScheduler.of(ownedExecutor);
    }

    /**
     * How long a drained socket's backlog may delay its goaway: until 95% of the drain timeout,
     * so that the close handshake still has the rest (at least zero: past it, the backlog goes at once).
     */
    private Duration drainFlushBudget() {
        long end = drainStartNanos + drainTimeoutNanos - drainTimeoutNanos / 20;
        return Duration.ofNanos(Math.max(0, end - nanoTime.getAsLong()));
    }

    /** Call holding the session's monitor. */
    private void scheduleDrain(Session session) {
        if (session.drainTask != null) {
            return;
        }
        long remaining = drainStartNanos + drainBudgetNanos - nanoTime.getAsLong();
        long delay = remaining <= 0 ? 0 : random.nextLong(remaining + 1);
        pendingDrain.add(session);
        session.drainTask = drainScheduler.schedule(Duration.ofNanos(delay), () -> drainOne(session));
    }

    private void drainOne(Session session) {
        try {
            synchronized (session) {
                if (session.closed || session.drained) {
                    return;
                }
                session.drained = true;
                Span span = tracer.spanBuilder("signaling.drain").kind(SpanKind.INTERNAL).start();
                try (Scope ignored = span.makeCurrent()) {
                    Resumption state = session.resumption;
                    if (state != null && state.token() != null && resume.enabled()) {
                        // Suspended, not ended, once the socket closes: it resumes elsewhere, and
                        // its room-mates see nothing.
                        // What the bounded close drops is still kept for the resume's replay.
                        state.replay.sendLastAndClose(TextFrame.of(codec.encode(new ServerMessage.GoAway(
                                ServerMessage.GoAway.SHUTDOWN, true, state.token().value()))),
                                CloseCodes.GOING_AWAY, GOING_AWAY_REASON, drainFlushBudget());
                    } else {
                        applyAndDeliver(session, new SignalingEvent.Drain(session.peerId), 0L);
                    }
                } catch (RuntimeException e) {
                    span.recordError(e).status(SpanStatus.ERROR, "drain failed");
                    session.log.error("signaling drain of a connection failed", e);
                } finally {
                    span.end();
                    session.connection.close(CloseCodes.GOING_AWAY, GOING_AWAY_REASON);
                }
            }
        } finally {
            drainDone(session);
        }
    }

    private void drainDone(Session session) {
        if (pendingDrain.remove(session)) {
            completeDrainIfDone();
        }
    }

    private void completeDrainIfDone() {
        if (drainArmed && pendingDrain.isEmpty()) {
            CompletableFuture<Void> future;
            synchronized (drainLock) {
                future = drained;
            }
            if (future != null) {
                future.complete(null);
            }
        }
    }

    /**
     * Drains within {@code timeout}: refuses joins, then closes every connection at its scheduled
     * time. Connections still waiting at the deadline (a stalled scheduler) get their
     * {@code goaway} and 1001 at once.
     *
     * @return whether every connection was drained on schedule
     */
    @Override
    public boolean stop(Duration timeout) {
        long started = System.nanoTime();
        CompletableFuture<Void> done = drain(timeout);
        boolean clean;
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            clean = true;
        } catch (TimeoutException e) {
            clean = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        } catch (ExecutionException e) {
            clean = false;
        }
        if (!clean) {
            for (Session session : pendingDrain) {
                log.warn("connection not drained in time; draining it now", "peer_id", session.peerId.value());
                drainOne(session);
            }
        }
        ScheduledExecutorService executor;
        synchronized (drainLock) {
            executor = ownedExecutor;
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        // The last twentieth is left to what stops after signaling (as the drain's flush budget does).
        awaitHandOvers(started + timeout.toNanos() - timeout.toNanos() / 20);
        endSuspended();
        synchronized (timersLock) {
            if (ownedTimers != null) {
                ownedTimers.shutdownNow();
            }
        }
        if (cluster != null) {
            cluster.stop();
        }
        if (iceRefresh != null) {
            iceRefresh.stop();
        }
        log.info("signaling stopped", "clean", clean, "took_ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return clean;
    }

    /**
     * In a cluster, the drained v1.1 sessions resume on other nodes: this node stays up for them
     * (to hand them over, and to pass on what still reaches it for them until every node has
     * re-routed) until none is left or the drain's time is up.
     */
    private void awaitHandOvers(long deadlineNanos) {
        if (handOver == null || !resume.enabled()) {
            return;
        }
        while (true) {
            boolean waiting = handOver.inFlight() > 0;
            for (Session session : sessions.all()) {
                synchronized (session) {
                    // Suspended, or drained and its close not yet heard (it is suspended then).
                    waiting |= session.suspended() || (session.drained && !session.closed);
                }
            }
            long left = deadlineNanos - System.nanoTime();
            if (!waiting || left <= 0) {
                return;
            }
            synchronized (handOverLock) {
                try {
                    // Woken by every session's end or hand-over (the lock is taken after a session's
                    // monitor there, so never while holding one here); the bound catches a wake-up
                    // that came between the look above and this wait.
                    handOverLock.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * After the drain: the sessions still suspended (drained ones among them) can no longer resume
     * on this node, so they end now with the reason of their loss.
     */
    private void endSuspended() {
        for (Session session : sessions.all()) {
            synchronized (session) {
                if (!session.closed && session.suspended()) {
                    resumeMetrics.expired();
                    endSession(session, session.resumption.suspendReason(), "node stopped");
                }
            }
        }
    }

    // ---------------------------------------------------------------- resume on another node (v1.1, cluster)

    /** The service's side of {@link HandOver}: what it does with sessions, under the service's locks. */
    private final class HandOverHost implements HandOver.Host {

        @Override
        public String handOut(PeerId peer, ResumeToken token, long lastSeq, String identity, RoomId grantRoom,
                              NodeId to) {
            Session session = sessions.get(peer);
            if (session == null || session.resumption == null) {
                resumeMetrics.failed("unknown");
                return "unknown";
            }
            synchronized (session) {
                Resumption state = session.resumption;
                if (session.closed || !state.accepts(token)) {
                    resumeMetrics.failed("unknown");
                    return "unknown";
                }
                state.rotate(session.peerId, tokens);
                RoomId room = registry.roomOf(peer).orElse(null);
                String failure = null;
                if (authenticator != null && (identity == null || !identity.equals(session.identity())
                        || (room != null && !room.equals(grantRoom)))) {
                    failure = "identity";
                } else if (!state.replay.canResumeFrom(lastSeq)) {
                    failure = state.replay.overflowed() ? "overflow" : "sequence";
                }
                WebSocketConnection previous = session.connection;
                if (failure != null) {
                    resumeMetrics.failed(failure);
                    session.log.info("resume on another node refused; the session ends", "check", failure);
                    endSession(session, state.phase() == Resumption.Phase.SUSPENDED ? state.suspendReason()
                            : LeaveReason.DISCONNECT, "resume refused: " + failure);
                    if (previous.isOpen()) {
                        previous.close(CLOSE_REPLACED, "replaced");
                    }
                    return failure;
                }
                if (room == null) {
                    HandOver.Handed handed = handed(session, null, List.of(), Set.of());
                    letGo(session);
                    handOver.handedOut(to, handed);
                } else {
                    synchronized (sessions.lockOf(room)) {
                        java.util.Optional<List<io.signaling.ports.cluster.Member>> members;
                        try {
                            members = cluster.moveOut(room, peer, to);
                        } catch (ClusterUnavailableException e) {
                            members = java.util.Optional.empty();
                        }
                        if (members.isEmpty()) {
                            // The token is spent: the session stays until its window ends (one peer-left then).
                            resumeMetrics.failed("unavailable");
                            session.log.info("resume on another node failed: the shared store did not move the member");
                            return "unavailable";
                        }
                        HandOver.Handed handed = handed(session, room, members.get(),
                                HandOver.flushSet(members.get(), cluster.node()));
                        letGo(session);
                        handOver.handedOut(to, handed);
                        cluster.settle(room);
                    }
                }
                if (previous.isOpen()) {
                    previous.close(CLOSE_REPLACED, "replaced");
                }
                session.log.debug("session handed over to another node", "node", to.value(), "last_seq", lastSeq);
            }
            drainDone(session);
            handOverProgress();
            return null;
        }

        private HandOver.Handed handed(Session session, RoomId room, List<io.signaling.ports.cluster.Member> members,
                                       Set<String> flush) {
            Resumption state = session.resumption;
            return new HandOver.Handed(session.peerId, room, state.lastClientSeq(), state.replay.lastSeq(),
                    state.suspendedFor(nanoTime.getAsLong()), state.replay.keptWithSeq(), members, flush);
        }

        /** The session lives on elsewhere: gone from here without a word to its room. Call holding its monitor. */
        private void letGo(Session session) {
            session.closed = true;
            if (session.drainTask != null) {
                session.drainTask.cancel();
            }
            IceRefresh.cancel(session);
            session.resumption.end();
            sessions.remove(session);
        }

        @Override
        public boolean takeOver(WebSocketConnection connection, long lastSeq, HandOver.Handed handed, NodeId from,
                                long startedNanos) {
            PeerId peer = handed.peer();
            Session session = new Session(peer, connection, new TokenBucket(settings.messagesPerSecond(),
                    settings.burst(), nanoTime.getAsLong()), log.with("peer_id", peer.value()));
            ResumeToken fresh = ResumeToken.issue(peer, cluster.node().value(), tokens);
            Replay replay = Replay.handedOver(resume.bufferMessages(), resume.bufferBytes(), codec, handed.lastSeq(),
                    handed.kept(), handed.room() == null ? Set.of() : handed.flush());
            // Numbered and held back from the moment it is visible to this node's senders.
            session.resumption = new Resumption(replay, fresh);
            session.resumption.continueClientSeq(handed.lastClientSeq());
            if (!sessions.add(session)) {
                session.log.warn("a session handed over from another node is here already; not taken");
                return false;
            }
            synchronized (session) {
                connection.attach(session);
                RoomId room = handed.room();
                if (room != null) {
                    synchronized (sessions.lockOf(room)) {
                        cluster.moveIn(room, peer, handed.members());
                        handOver.flushOwn(from, room, peer);
                    }
                    session.log = log.with("peer_id", peer.value(), "room", room.value());
                }
                ServerMessage.Welcome welcome = new ServerMessage.Welcome(peer, settings.limits(), session.identity(),
                        issueIceServers(session)).withResume(new ServerMessage.Resume(fresh.value(),
                        resume.window().toMillis(), true, room, handed.lastClientSeq()));
                int replayed = replay.resume(lastSeq, connection, TextFrame.of(codec.encode(welcome)));
                long waited = nanoTime.getAsLong() - startedNanos;
                resumeMetrics.resumed(true, Math.max(0, replayed),
                        handed.suspendedNanos() < 0 ? -1 : handed.suspendedNanos() + waited);
                session.log.debug("session resumed from another node", "node", from.value(), "replayed", replayed,
                        "last_seq", lastSeq);
                if (draining) {
                    scheduleDrain(session);
                }
            }
            return true;
        }

        @Override
        public void endOrphan(HandOver.Handed handed, NodeId from) {
            RoomId room = handed.room();
            if (room == null) {
                return;
            }
            synchronized (sessions.lockOf(room)) {
                cluster.moveIn(room, handed.peer(), handed.members());
                // The old node then knows every flush of the move has passed.
                handOver.flushOwn(from, room, handed.peer());
            }
            applyAndDeliver(handed.peer(), new SignalingEvent.Disconnect(handed.peer(), LeaveReason.DISCONNECT), 0L);
        }

        @Override
        public void deliver(RoomId room, PeerId to, String text, io.signaling.ports.cluster.Envelope.Change change,
                            boolean forwarded) {
            bridge.deliver(room, to, text, change, forwarded);
        }

        @Override
        public Session session(PeerId peer) {
            return sessions.get(peer);
        }

        @Override
        public void overflowed(Session session) {
            timers().schedule(Duration.ZERO, () -> expire(session, true));
        }

        @Override
        public Object lockOf(RoomId room) {
            return sessions.lockOf(room);
        }

        @Override
        public void failed(String check) {
            resumeMetrics.failed(check);
        }
    }

    /** Assembles a {@link SignalingService}; only the codec is required. */
    public static final class Builder {
        private final MessageCodec codec;
        private RoomRegistry registry;
        private SignalingCluster cluster;
        private SignalingSettings settings = SignalingSettings.defaults();
        private PeerIdGenerator peerIds;
        private LongSupplier nanoTime = System::nanoTime;
        private RandomGenerator random = new SecureRandom();
        private TaskScheduler scheduler;
        private LoggerFactory loggers = LoggerFactory.noop();
        private Tracer tracer = Tracer.noop();
        private Metrics metrics = Metrics.noop();
        private AccessTokenVerifier accessTokens;
        private TurnCredentials iceServers;
        private ResumeSettings resume = ResumeSettings.defaults();

        private Builder(MessageCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        public Builder settings(SignalingSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Another membership store (a shared one across nodes); the default is in memory. */
        public Builder roomRegistry(RoomRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Runs as one node of a cluster: membership and delivery go through the cluster's shared
         * store (instead of {@link #roomRegistry}); the service starts and stops the cluster node.
         */
        public Builder cluster(SignalingCluster cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        /** The default draws 128 bits per id from a {@link SecureRandom}. */
        public Builder peerIds(PeerIdGenerator peerIds) {
            this.peerIds = Objects.requireNonNull(peerIds, "peerIds");
            return this;
        }

        /** The monotonic clock of rate limits, latencies and the drain; default {@link System#nanoTime()}. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** Where the drain draws each connection's close time from. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Runs the drain's scheduled closes; by default the service owns a one-thread executor. */
        public Builder scheduler(TaskScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        public Builder loggers(LoggerFactory loggers) {
            this.loggers = Objects.requireNonNull(loggers, "loggers");
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = Objects.requireNonNull(tracer, "tracer");
            return this;
        }

        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Turns on {@code auth.mode: jwt}: every upgrade needs a token this verifier accepts, and a
         * connection may join only its token's room. Without it (the default) anyone may join any room.
         */
        public Builder accessTokens(AccessTokenVerifier verifier) {
            this.accessTokens = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /** The STUN/TURN servers handed out in {@code welcome} (and refreshed on v1.1 connections). */
        public Builder iceServers(TurnCredentials iceServers) {
            this.iceServers = Objects.requireNonNull(iceServers, "iceServers");
            return this;
        }

        /** (v1.1) Session resume: window and buffer bounds; {@link ResumeSettings#defaults()} unless set. */
        public Builder resume(ResumeSettings resume) {
            this.resume = Objects.requireNonNull(resume, "resume");
            return this;
        }

        public SignalingService build() {
            return new SignalingService(this);
        }
    }
}
