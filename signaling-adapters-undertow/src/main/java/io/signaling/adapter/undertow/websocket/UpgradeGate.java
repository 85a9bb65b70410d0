package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.http.Problem;
import io.signaling.ports.log.Logger;
import io.signaling.ports.websocket.UpgradeDecision;
import io.signaling.ports.websocket.UpgradeRequest;
import io.signaling.ports.websocket.WebSocketListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The listener's say on an upgrade, before any WebSocket work: it hands the request to
 * {@link WebSocketListener#onUpgrade} and answers a refusal itself (its status, its headers such
 * as {@code WWW-Authenticate}, an {@code application/problem+json} body), or remembers the grant of
 * an acceptance on the exchange for the connection that the upgrade will open.
 *
 * <p>Only the failed check's name is logged and counted; nothing from the request's credentials.
 * Thread-safety: stateless apart from its collaborators; safe from any thread.
 */
final class UpgradeGate {

    static final AttachmentKey<AccessGrant> GRANT = AttachmentKey.create(AccessGrant.class);

    private final WebSocketListener listener;
    private final WebSocketTelemetry telemetry;
    private final Logger log;

    UpgradeGate(WebSocketListener listener, WebSocketTelemetry telemetry, Logger log) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Whether the upgrade may go ahead; when not, the response has been sent. */
    boolean admit(HttpServerExchange exchange) {
        return admit(exchange, EndpointSupport.headersOf(exchange), EndpointSupport.queryOf(exchange));
    }

    /** {@link #admit(HttpServerExchange)} with the request's headers (lower-case names) and query copied already. */
    boolean admit(HttpServerExchange exchange, Map<String, List<String>> headers, Map<String, List<String>> query) {
        UpgradeDecision decision;
        try {
            decision = listener.onUpgrade(new UpgradeRequest(exchange.getRequestPath(), headers, query,
                    exchange.getConnection().getPeerAddress(InetSocketAddress.class)));
        } catch (RuntimeException e) {
            log.error("upgrade check failed", e);
            refuse(exchange, Problem.of(500, "the upgrade could not be checked", exchange.getRequestPath(), null),
                    Map.of());
            return false;
        }
        if (decision instanceof UpgradeDecision.Refuse refusal) {
            telemetry.rejected(WebSocketTelemetry.REJECT_REFUSED);
            log.info("websocket upgrade refused", "status", refusal.problem().status(), "check", refusal.failedCheck());
            refuse(exchange, refusal.problem(), refusal.headers());
            return false;
        }
        AccessGrant grant = ((UpgradeDecision.Accept) decision).grant();
        if (grant != null) {
            exchange.putAttachment(GRANT, grant);
        }
        return true;
    }

    private static void refuse(HttpServerExchange exchange, Problem problem, Map<String, String> headers) {
        exchange.setStatusCode(problem.status());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            exchange.getResponseHeaders().put(HttpString.tryFromString(header.getKey()), header.getValue());
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Problem.CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(problem.toJson().getBytes(StandardCharsets.UTF_8)));
    }
}
