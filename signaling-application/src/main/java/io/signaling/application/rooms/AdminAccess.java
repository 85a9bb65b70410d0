package io.signaling.application.rooms;

import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.auth.AdminGrant;
import io.signaling.ports.auth.TokenCheck;
import io.signaling.ports.auth.TokenRejectedException;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.log.Logger;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who may call the room management API on a listener: on the admin listener anyone who reaches it
 * (it is bound to loopback or a private network; the actor is {@value RoomAdmin#ADMIN_LISTENER}),
 * on the public listener only the bearer of an admin token ({@code Authorization: Bearer}, a JWT
 * from the configured keys whose {@code scope} holds {@code rooms:admin}; the actor is its
 * {@code sub}). No token, or a token that fails a check, is 401 with
 * {@code WWW-Authenticate: Bearer}; a valid token without the scope (a join token) is 403. The
 * token is never logged or echoed; only the failed check's name is.
 *
 * <p>Thread-safety: immutable apart from its metric cache; safe for concurrent requests.
 */
public final class AdminAccess {

    /** The outcome of {@link #authorize}: an actor, or the refusal to send. */
    public sealed interface Decision permits Allowed, Refused {
    }

    public record Allowed(String actor) implements Decision {
    }

    /** @param challenge the {@code WWW-Authenticate} value, or null */
    public record Refused(int status, String detail, String challenge) implements Decision {
    }

    private final AccessTokenVerifier verifier;
    private final Logger log;
    private final Metrics metrics;
    private final ConcurrentMap<String, Metrics.Counter> refusals = new ConcurrentHashMap<>();

    private AdminAccess(AccessTokenVerifier verifier, LoggerFactory loggers, Metrics metrics) {
        this.verifier = verifier;
        this.log = loggers.logger(AdminAccess.class);
        this.metrics = metrics;
    }

    /** The admin listener's: everyone who reaches it acts as {@value RoomAdmin#ADMIN_LISTENER}. */
    public static AdminAccess adminListener() {
        return new AdminAccess(null, LoggerFactory.noop(), Metrics.noop());
    }

    /** The public listener's: an admin token verified by {@code verifier}. */
    public static AdminAccess adminToken(AccessTokenVerifier verifier, LoggerFactory loggers, Metrics metrics) {
        return new AdminAccess(Objects.requireNonNull(verifier, "verifier"), Objects.requireNonNull(loggers, "loggers"),
                Objects.requireNonNull(metrics, "metrics"));
    }

    /** Whether requests need an admin token. */
    public boolean requiresToken() {
        return verifier != null;
    }

    public Decision authorize(HttpExchange exchange) {
        if (verifier == null) {
            return new Allowed(RoomAdmin.ADMIN_LISTENER);
        }
        Optional<String> token = bearer(exchange);
        if (token.isEmpty()) {
            refused("missing");
            return new Refused(401, "an admin token is required: Authorization: Bearer <token> (a JWT with scope "
                    + AdminGrant.ROOMS_ADMIN_SCOPE + ")", "Bearer realm=\"signaling-admin\"");
        }
        try {
            AdminGrant grant = verifier.verifyAdmin(token.get());
            return new Allowed(grant.identity());
        } catch (TokenRejectedException e) {
            refused(e.check().wire());
            log.info("room admin request refused", "check", e.check().wire(), "path", exchange.path());
            if (e.check() == TokenCheck.SCOPE) {
                return new Refused(403, e.getMessage(), null);
            }
            return new Refused(401, "the admin token was refused (" + e.check().wire() + "): " + e.getMessage(),
                    "Bearer realm=\"signaling-admin\", error=\"invalid_token\"");
        }
    }

    private static Optional<String> bearer(HttpExchange exchange) {
        Optional<String> header = exchange.requestHeader("Authorization");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String token = value.substring(7).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }

    private void refused(String check) {
        refusals.computeIfAbsent(check, c -> metrics.counter("signaling.rooms.admin.refusals",
                "Room management API requests refused for their credentials, by failed check", Tags.of("check", c)))
                .increment();
    }
}
