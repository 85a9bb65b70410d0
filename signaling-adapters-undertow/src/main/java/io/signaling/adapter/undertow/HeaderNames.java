package io.signaling.adapter.undertow;

import io.undertow.util.HttpString;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validated response header names as Undertow {@link HttpString}s, made once per name.
 *
 * <p>Every response sets a few headers by string name ({@code traceresponse}, {@code X-Request-Id},
 * {@code Cache-Control}); checking the name and converting it to an {@code HttpString} (a byte
 * copy, scanned for newlines) showed up in a JFR profile of {@code /health/live} at a few percent
 * of the I/O thread's samples, and allocated on every call. The names come from code, so the set is small; to stay bounded even if a
 * handler computes names, at most {@link #MAX_CACHED} are kept and later ones are converted per
 * call, as before. Thread-safe; one instance per router.
 */
final class HeaderNames {

    static final int MAX_CACHED = 256;

    private final ConcurrentHashMap<String, HttpString> names = new ConcurrentHashMap<>();

    /**
     * The header name as an {@code HttpString}.
     *
     * @throws IllegalArgumentException when {@code name} is not an RFC 9110 token
     */
    HttpString of(String name) {
        HttpString cached = names.get(name);
        if (cached != null) {
            return cached;
        }
        if (name.isEmpty() || !isToken(name)) {
            throw new IllegalArgumentException("invalid HTTP header name: '" + name + "'");
        }
        // Undertow's own constant when it knows the name (its header map compares those fastest).
        HttpString converted = HttpString.tryFromString(name);
        if (names.size() < MAX_CACHED) {
            names.putIfAbsent(name, converted);
        }
        return converted;
    }

    int size() {
        return names.size();
    }

    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
