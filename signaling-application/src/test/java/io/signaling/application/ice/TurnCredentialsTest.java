package io.signaling.application.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.domain.signaling.IceServer;
import io.signaling.ports.signaling.IceSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** TURN REST credentials: format, expiry from the injected clock, the first secret signs, random ids. */
class TurnCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final List<String> URLS = List.of("stun:127.0.0.1:3478", "turn:127.0.0.1:3478?transport=udp",
            "turns:turn.example.org:5349");

    @Test
    void stunAndTurnEntriesInRtcIceServerShape() {
        TurnCredentials turn = new TurnCredentials(new IceSettings(URLS, List.of("first", "second"),
                Duration.ofHours(1)), CLOCK, new SplittableRandom(1));
        TurnCredentials.Issued issued = turn.issue();
        assertThat(issued.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(issued.servers()).hasSize(2);
        assertThat(issued.servers().get(0)).isEqualTo(IceServer.stun(List.of("stun:127.0.0.1:3478")));
        IceServer relay = issued.servers().get(1);
        assertThat(relay.urls()).containsExactly("turn:127.0.0.1:3478?transport=udp", "turns:turn.example.org:5349");
        assertThat(relay.username()).matches((NOW.getEpochSecond() + 3600) + ":[A-Za-z0-9_-]{16}");
        // Independently computed: `printf %s "$username" | openssl dgst -sha1 -hmac first -binary | base64`.
        assertThat(relay.credential()).isEqualTo(TurnCredentials.credential("first", relay.username()));
        assertThat(relay.credential()).isNotEqualTo(TurnCredentials.credential("second", relay.username()));
    }

    @Test
    void knownAnswer() {
        // RFC 2202 test case 2 for HMAC-SHA1: key "Jefe", data "what do ya want for nothing?".
        assertThat(TurnCredentials.credential("Jefe", "what do ya want for nothing?"))
                .isEqualTo("7/zfauXrL6LSdBbV8YTfnCWafHk=");
    }

    @Test
    void theOpaqueIdIsFreshEachTime() {
        TurnCredentials turn = new TurnCredentials(new IceSettings(URLS, List.of("s"), Duration.ofHours(1)), CLOCK,
                new java.security.SecureRandom());
        Set<String> usernames = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            usernames.add(turn.issue().servers().get(1).username());
        }
        assertThat(usernames).hasSize(1000);
    }

    @Test
    void stunOnlyNeedsNoSecretAndNothingExpires() {
        TurnCredentials turn = new TurnCredentials(new IceSettings(List.of("stun:stun.example.org:3478"), List.of(),
                Duration.ofHours(1)), CLOCK, new SplittableRandom(1));
        assertThat(turn.expiring()).isFalse();
        assertThat(turn.issue().servers()).containsExactly(IceServer.stun(List.of("stun:stun.example.org:3478")));
    }

    @Test
    void settingsAreValidatedWithTheirKeys() {
        assertThatThrownBy(() -> new IceSettings(List.of("turn:x:3478", "http://x"), List.of(), Duration.ofHours(25)))
                .hasMessageContaining("turn.urls: 'http://x'")
                .hasMessageContaining("turn.secrets")
                .hasMessageContaining("turn.ttl");
        assertThat(IceSettings.problems(List.of("turn:127.0.0.1:3478"), List.of("s"), Duration.ofHours(24))).isEmpty();
    }
}
