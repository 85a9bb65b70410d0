package io.signaling.application.http;

import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Gives each request an id: the incoming {@value #HEADER} when well-formed, else a new one. The id
 * goes to the response header and to {@link ExchangeAttributes#REQUEST_ID}, where recovery, the
 * access log and tracing pick it up.
 *
 * <p>Well-formed means 1 to {@value #MAX_LENGTH} characters of {@code [A-Za-z0-9._:-]}: enough for
 * UUIDs, ULIDs, hex and the ids of common proxies, and nothing that could break a log line, a
 * header or a JSON body (no spaces, quotes, control characters or non-ASCII).
 *
 * <p>New ids are 32 lowercase hex characters (128 random bits) from {@link ThreadLocalRandom}:
 * unique enough to correlate, cheap, and never blocking on an entropy source. They are not secret.
 */
final class RequestIdMiddleware implements Middleware {

    static final String HEADER = "X-Request-ID";
    static final int MAX_LENGTH = 128;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Supplier<String> generator;

    RequestIdMiddleware(Supplier<String> generator) {
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    @Override
    public HttpHandler wrap(HttpHandler next) {
        return exchange -> {
            String id = exchange.requestHeader(HEADER).filter(RequestIdMiddleware::isWellFormed).orElse(null);
            if (id == null) {
                id = generator.get();
            }
            exchange.attribute(ExchangeAttributes.REQUEST_ID, id);
            exchange.responseHeader(HEADER, id);
            next.handle(exchange);
        };
    }

    static boolean isWellFormed(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** 128 random bits as 32 lowercase hex characters. */
    static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] chars = new char[32];
        fill(chars, 0, random.nextLong());
        fill(chars, 16, random.nextLong());
        return new String(chars);
    }

    private static void fill(char[] chars, int offset, long bits) {
        for (int i = 15; i >= 0; i--) {
            chars[offset + i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
    }
}
