package io.signaling.ports.websocket;

import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.http.Problem;
import java.util.Map;
import java.util.Objects;

/** What the core decided about an {@link UpgradeRequest}: go ahead (with what it granted), or an HTTP refusal. */
public sealed interface UpgradeDecision permits UpgradeDecision.Accept, UpgradeDecision.Refuse {

    /** Accepted without authentication. */
    static UpgradeDecision accept() {
        return Accept.ANONYMOUS;
    }

    /** Accepted for this grant; the connection's {@link WebSocketConnection#grant()} returns it. */
    static UpgradeDecision accept(AccessGrant grant) {
        return new Accept(Objects.requireNonNull(grant, "grant"));
    }

    /** @param grant {@code null} when no authentication was asked for */
    record Accept(AccessGrant grant) implements UpgradeDecision {
        static final Accept ANONYMOUS = new Accept(null);
    }

    /**
     * Refused before the upgrade: the adapter answers with the problem's status, these headers and
     * the problem as {@code application/problem+json}.
     *
     * @param failedCheck a short stable name for metrics and logs (e.g. {@code "expired"}); never secret
     */
    record Refuse(Problem problem, Map<String, String> headers, String failedCheck) implements UpgradeDecision {
        public Refuse {
            Objects.requireNonNull(problem, "problem");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(failedCheck, "failedCheck");
        }
    }
}
