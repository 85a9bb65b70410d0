package io.signaling.application.auth;

import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.auth.TokenCheck;
import io.signaling.ports.auth.TokenRejectedException;
import io.signaling.ports.http.Problem;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import io.signaling.ports.websocket.UpgradeDecision;
import io.signaling.ports.websocket.UpgradeRequest;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides a WebSocket upgrade under {@code auth.mode: jwt}. The token comes from
 * {@code Authorization: Bearer <token>} or, for browsers (which cannot set headers on a
 * WebSocket), the {@code access_token} query parameter; both at once is refused (RFC 6750 section
 * 2). A refusal is HTTP 401 with {@code WWW-Authenticate: Bearer error="invalid_token"} and an RFC
 * 9457 problem whose {@code type} ends in the failed check ({@code urn:signaling:problem:token-expired})
 * and whose {@code detail} explains it. The token never reaches a log line, a metric tag or a
 * problem body: only the check's name does.
 *
 * <p>Thread-safety: safe for concurrent use; never blocks (the verifier does not).
 */
public final class UpgradeAuthenticator {

    public static final String QUERY_PARAMETER = "access_token";
    public static final String CHALLENGE = "Bearer error=\"invalid_token\"";
    public static final String PROBLEM_TYPE_PREFIX = "urn:signaling:problem:token-";

    private final AccessTokenVerifier verifier;
    private final Logger log;
    private final Map<TokenCheck, Metrics.Counter> refusals = new EnumMap<>(TokenCheck.class);

    public UpgradeAuthenticator(AccessTokenVerifier verifier, LoggerFactory loggers, Metrics metrics) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.log = loggers.logger(UpgradeAuthenticator.class);
        for (TokenCheck check : TokenCheck.values()) {
            refusals.put(check, metrics.counter("signaling.auth.refusals",
                    "WebSocket upgrades refused for their access token, by the check that failed",
                    Tags.of("check", check.wire())));
        }
    }

    public UpgradeDecision decide(UpgradeRequest request) {
        String header = request.header("authorization");
        List<String> queried = request.queryParameters().get(QUERY_PARAMETER);
        String token;
        if (header != null) {
            if (queried != null) {
                return refuse(request, TokenCheck.FORMAT, "present the access token once: in the Authorization header"
                        + " or in the access_token query parameter, not both");
            }
            if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return refuse(request, TokenCheck.FORMAT, "the Authorization header must use the Bearer scheme");
            }
            token = header.substring(7).strip();
        } else if (queried != null) {
            if (queried.size() != 1) {
                return refuse(request, TokenCheck.FORMAT, "the access_token query parameter must appear once");
            }
            token = queried.get(0);
        } else {
            token = null;
        }
        try {
            return UpgradeDecision.accept(verifier.verify(token));
        } catch (TokenRejectedException e) {
            return refuse(request, e.check(), e.getMessage());
        }
    }

    private UpgradeDecision refuse(UpgradeRequest request, TokenCheck check, String reason) {
        refusals.get(check).increment();
        log.debug("access token refused", "check", check.wire());
        Problem problem = new Problem(PROBLEM_TYPE_PREFIX + check.wire(), Problem.reasonPhrase(401), 401,
                "access token refused (" + check.wire() + "): " + reason, request.path(), null);
        return new UpgradeDecision.Refuse(problem, Map.of("WWW-Authenticate", CHALLENGE), check.wire());
    }
}
