package io.signaling.app.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and formatting of the human forms of durations ({@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, {@code 1d}, or ISO-8601 {@code PT30S}) and sizes ({@code 512B}, {@code 64KiB},
 * {@code 1MiB}, {@code 1GiB}, or plain bytes), and the host check. Failures throw
 * {@link IllegalArgumentException} whose message is the reason shown to the operator.
 */
public final class Values {

    private static final Pattern DURATION = Pattern.compile("(-?\\d+)\\s*([a-zA-Z]*)");
    private static final Pattern SIZE = Pattern.compile("(-?\\d+)\\s*([a-zA-Z]*)");
    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    static final String DURATION_FORMS =
            "write a whole number with a unit ms, s, m, h or d (500ms, 30s, 2m, 1h) or ISO-8601 (PT30S)";
    static final String SIZE_FORMS = "write a whole number of bytes, optionally with a unit B, KiB, MiB or GiB (64KiB)";

    private Values() {
    }

    public static Duration parseDuration(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty; " + DURATION_FORMS);
        }
        if (s.startsWith("P") || s.startsWith("p") || s.startsWith("-P") || s.startsWith("-p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration; " + DURATION_FORMS);
            }
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration; " + DURATION_FORMS);
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too large a duration");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (unit.isEmpty()) {
            if (amount == 0) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException("a duration needs a unit, e.g. " + amount + "s; " + DURATION_FORMS);
        }
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException(
                        "unknown duration unit '" + m.group(2) + "'; " + DURATION_FORMS);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large a duration");
        }
    }

    /** The shortest exact human form: {@code 30s}, {@code 2m}, {@code 1500ms}; ISO for sub-ms. */
    static String formatDuration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        long[] factors = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < factors.length; i++) {
            if (ms % factors[i] == 0) {
                return ms / factors[i] + units[i];
            }
        }
        return ms + "ms";
    }

    static long parseSize(String text) {
        String s = text.strip();
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size; " + SIZE_FORMS);
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too large a size");
        }
        long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> throw new IllegalArgumentException("unknown size unit '" + m.group(2)
                    + "'; use B, KiB, MiB or GiB (binary: 1KiB = 1024 bytes), e.g. 64KiB");
        };
        try {
            return Math.multiplyExact(amount, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large a size");
        }
    }

    /** The largest exact binary unit: {@code 1MiB}, {@code 64KiB}, {@code 1000B}. */
    static String formatSize(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long factor = 1L << shifts[i];
            if (bytes != 0 && bytes % factor == 0) {
                return bytes / factor + units[i];
            }
        }
        return bytes + "B";
    }

    /**
     * Accepts IP literals and syntactically valid host names (RFC 1123). Never resolves: loading
     * must not depend on DNS, and a name that does not resolve yet fails clearly at bind time.
     */
    static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("must not be empty; use an IP address such as 0.0.0.0 or a host name");
        }
        if (host.indexOf(':') >= 0) {
            String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (IPV6_CHARS.matcher(literal).matches() && !literal.startsWith(".") && isIpLiteral(literal)) {
                return;
            }
            throw new IllegalArgumentException("not a valid IPv6 address or host name");
        }
        if (IPV4_LIKE.matcher(host).matches()) {
            if (IPV4.matcher(host).matches()) {
                return;
            }
            throw new IllegalArgumentException("not a valid IPv4 address");
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > 253) {
            throw new IllegalArgumentException("not a valid host name: longer than 253 characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a valid host name: label '" + label
                        + "' must be 1-63 letters, digits or '-', not starting or ending with '-'");
            }
        }
    }

    private static boolean isIpLiteral(String literal) {
        try {
            // Safe: a string of hex digits, ':' and '.' that starts with a hex digit or ':' is
            // parsed by the JDK as a literal (or rejected), never looked up in DNS.
            return java.net.InetAddress.getByName(literal) != null;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
