package io.signaling.application.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.IceServer;
import io.signaling.ports.signaling.IceSettings;
import io.signaling.ports.testing.Coturn;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The credentials against a real coturn with {@code --use-auth-secret}: accepted and relayed when
 * fresh; refused when expired or signed by a secret coturn lacks; either of two secrets works.
 */
class TurnCredentialsCoturnTest {

    private static IceServer relayEntry(String secret, Clock clock, Coturn coturn) {
        TurnCredentials turn = new TurnCredentials(new IceSettings(List.of(coturn.turnUrl()), List.of(secret),
                Duration.ofHours(1)), clock, new SecureRandom());
        return turn.issue().servers().get(0);
    }

    @Test
    void freshCredentialsAllocateAndRelayAndBadOnesAreRefused() throws Exception {
        try (Coturn coturn = Coturn.start(List.of("current-secret"))) {
            IceServer good = relayEntry("current-secret", Clock.systemUTC(), coturn);
            Coturn.ClientRun ok = coturn.allocateAndRelay(good.username(), good.credential(), 5);
            assertThat(ok.relayed(5)).as("relay with fresh credentials:\n%s\n%s", ok.output(), coturn.log()).isTrue();

            // Expired: signed correctly, but issued two hours ago with a one-hour lifetime.
            Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
            IceServer expired = relayEntry("current-secret", past, coturn);
            Coturn.ClientRun late = coturn.allocateAndRelay(expired.username(), expired.credential(), 5);
            assertThat(late.refused()).as("expired credentials:\n%s", late.output()).isTrue();

            IceServer foreign = relayEntry("a-secret-coturn-does-not-have", Clock.systemUTC(), coturn);
            Coturn.ClientRun wrong = coturn.allocateAndRelay(foreign.username(), foreign.credential(), 5);
            assertThat(wrong.refused()).as("wrong secret:\n%s", wrong.output()).isTrue();
        }
    }

    @Test
    void withTwoSecretsInCoturnEitherSigns() throws Exception {
        try (Coturn coturn = Coturn.start(List.of("new-secret", "old-secret"))) {
            for (String secret : List.of("old-secret", "new-secret")) {
                IceServer entry = relayEntry(secret, Clock.systemUTC(), coturn);
                Coturn.ClientRun run = coturn.allocateAndRelay(entry.username(), entry.credential(), 3);
                assertThat(run.relayed(3)).as("signed by %s:\n%s", secret, run.output()).isTrue();
            }
        }
    }
}
