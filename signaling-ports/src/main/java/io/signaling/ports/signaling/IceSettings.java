package io.signaling.ports.signaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The STUN/TURN servers handed to clients in {@code welcome.iceServers}, from configuration.
 *
 * @param urls    {@code turn.urls}: {@code stun:}, {@code turn:} and {@code turns:} URLs; empty: no
 *                {@code iceServers} at all
 * @param secrets {@code turn.secrets}: the TURN REST shared secrets; the first signs (coturn accepts
 *                any it has, which is what rotation needs); required when a {@code turn:} or
 *                {@code turns:} URL is configured
 * @param ttl     {@code turn.ttl}: how long a credential is valid, 1 s to {@link #MAX_TTL}
 */
public record IceSettings(List<String> urls, List<String> secrets, Duration ttl) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration MAX_TTL = Duration.ofHours(24);

    public IceSettings {
        urls = List.copyOf(urls);
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(ttl, "ttl");
        List<String> problems = problems(urls, secrets, ttl);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** No ICE servers: {@code welcome} carries no {@code iceServers}. */
    public static IceSettings none() {
        return new IceSettings(List.of(), List.of(), DEFAULT_TTL);
    }

    /** Every problem with these values, each naming its configuration key; empty when they are valid. */
    public static List<String> problems(List<String> urls, List<String> secrets, Duration ttl) {
        List<String> problems = new ArrayList<>();
        boolean turn = false;
        for (String url : urls) {
            String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("turn:") || lower.startsWith("turns:")) {
                turn = true;
            } else if (!lower.startsWith("stun:") && !lower.startsWith("stuns:")) {
                problems.add("turn.urls: '" + url + "' must start with stun:, stuns:, turn: or turns:");
            }
            if (url != null && (url.length() < 7 || url.chars().anyMatch(c -> c <= ' ' || c == '"'))) {
                problems.add("turn.urls: '" + url + "' is not a STUN/TURN URL (host[:port][?transport=udp|tcp])");
            }
        }
        if (turn && secrets.isEmpty()) {
            problems.add("turn.secrets: a turn: or turns: URL needs at least one shared secret (coturn's"
                    + " static-auth-secret)");
        }
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                problems.add("turn.secrets: a secret must not be empty");
            }
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            problems.add("turn.ttl: must be between 1s and 24h, got " + ttl);
        }
        return problems;
    }

    /** Whether {@code welcome} carries {@code iceServers}. */
    public boolean configured() {
        return !urls.isEmpty();
    }
}
