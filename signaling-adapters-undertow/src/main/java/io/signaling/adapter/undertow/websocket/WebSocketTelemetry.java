package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import io.signaling.ports.websocket.CloseCodes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The WebSocket meters, looked up once: the hot path only increments fields. Close reasons and
 * rejection reasons come from the small fixed sets below, so tag cardinality stays bounded.
 * Shared by every WebSocket flavour so their metrics are the same names, tags and meanings.
 *
 * <p>Thread-safety: safe from any thread.
 */
public final class WebSocketTelemetry {

    public static final String NORMAL = "normal";
    public static final String GOING_AWAY = "going_away";
    public static final String IDLE_TIMEOUT = "idle_timeout";
    public static final String TOO_BIG = "too_big";
    public static final String UNSUPPORTED = "unsupported";
    public static final String SLOW_CONSUMER = "slow_consumer";
    public static final String POLICY = "policy";
    public static final String CAPACITY = "capacity";
    public static final String ABNORMAL = "abnormal";
    public static final String ERROR = "error";
    public static final String OTHER = "other";

    public static final String REJECT_ORIGIN = "origin";
    public static final String REJECT_CAPACITY = "capacity";
    public static final String REJECT_DRAINING = "draining";
    /** websocket.max-connections-per-ip reached for the client's address. */
    public static final String REJECT_ADDRESS = "address";
    /** The listener refused the upgrade (a missing or bad access token). */
    public static final String REJECT_REFUSED = "refused";

    private final Metrics metrics;
    private final Metrics.Counter opened;
    private final Map<String, Metrics.Counter> closed = new ConcurrentHashMap<>();
    private final Metrics.Counter messagesIn;
    private final Metrics.Counter messagesOut;
    private final Metrics.Summary bytesIn;
    private final Metrics.Summary bytesOut;
    private final Metrics.Counter overflows;
    private final Metrics.Counter rejectedOrigin;
    private final Metrics.Counter rejectedCapacity;
    private final Metrics.Counter rejectedDraining;
    private final Metrics.Counter rejectedAddress;
    private final Metrics.Counter rejectedRefused;

    /**
     * @param activeConnections the open connections, sampled at each scrape
     * @param pendingBytes      the UTF-8 bytes queued for them and not written yet, sampled at each scrape
     */
    public WebSocketTelemetry(Metrics metrics, Supplier<? extends Number> activeConnections,
                              Supplier<? extends Number> pendingBytes) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.gauge("websocket.connections.active", "Open WebSocket connections on this node", Tags.empty(),
                activeConnections);
        // What slow consumers hold on the heap between their stall and their close (send timeout
        // or full queue): the figure to watch next to websocket_connections_total{reason="slow_consumer"}.
        metrics.gauge("websocket.send.queue.bytes",
                "UTF-8 bytes waiting to be written to this node's open WebSocket connections, the writes in flight included",
                Tags.empty(), pendingBytes);
        opened = metrics.counter("websocket.connections", "WebSocket connections opened and closed",
                Tags.of("event", "opened", "reason", "none"));
        messagesIn = metrics.counter("websocket.messages", "WebSocket text messages", Tags.of("direction", "in"));
        messagesOut = metrics.counter("websocket.messages", "WebSocket text messages", Tags.of("direction", "out"));
        bytesIn = metrics.summary("websocket.message.bytes", "WebSocket text message sizes (UTF-8)", "bytes",
                Tags.of("direction", "in"));
        bytesOut = metrics.summary("websocket.message.bytes", "WebSocket text message sizes (UTF-8)", "bytes",
                Tags.of("direction", "out"));
        overflows = metrics.counter("websocket.send.queue.overflows",
                "Connections closed because their outbound queue overflowed", Tags.empty());
        rejectedOrigin = rejection(REJECT_ORIGIN);
        rejectedCapacity = rejection(REJECT_CAPACITY);
        rejectedDraining = rejection(REJECT_DRAINING);
        rejectedAddress = rejection(REJECT_ADDRESS);
        rejectedRefused = rejection(REJECT_REFUSED);
    }

    private Metrics.Counter rejection(String reason) {
        return metrics.counter("websocket.handshake.rejections", "WebSocket upgrades refused before the handshake",
                Tags.of("reason", reason));
    }

    public void opened() {
        opened.increment();
    }

    public void closed(String reason) {
        closed.computeIfAbsent(reason, r -> metrics.counter("websocket.connections",
                "WebSocket connections opened and closed", Tags.of("event", "closed", "reason", r))).increment();
    }

    public void received(int bytes) {
        messagesIn.increment();
        bytesIn.record(bytes);
    }

    public void sent(int bytes) {
        messagesOut.increment();
        bytesOut.record(bytes);
    }

    public void overflow() {
        overflows.increment();
    }

    public void rejected(String reason) {
        switch (reason) {
            case REJECT_ORIGIN -> rejectedOrigin.increment();
            case REJECT_CAPACITY -> rejectedCapacity.increment();
            case REJECT_ADDRESS -> rejectedAddress.increment();
            case REJECT_REFUSED -> rejectedRefused.increment();
            default -> rejectedDraining.increment();
        }
    }

    /** The metric reason of a close whose cause the adapter did not set itself. */
    public static String reasonOf(int code, boolean errorSeen) {
        return switch (code) {
            case CloseCodes.NORMAL -> NORMAL;
            case CloseCodes.GOING_AWAY -> GOING_AWAY;
            case CloseCodes.UNSUPPORTED_DATA -> UNSUPPORTED;
            case CloseCodes.POLICY_VIOLATION -> POLICY;
            case CloseCodes.MESSAGE_TOO_BIG -> TOO_BIG;
            case CloseCodes.INTERNAL_ERROR -> ERROR;
            case CloseCodes.TRY_AGAIN_LATER -> CAPACITY;
            case CloseCodes.ABNORMAL -> errorSeen ? ERROR : ABNORMAL;
            default -> OTHER;
        };
    }
}
