package io.signaling.app.telemetry;

import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * A readable console line for {@code logging.format=text}:
 *
 * <pre>
 * 2026-01-02T03:04:05.678Z INFO  [worker-1] i.s.a.SignalingService - peer joined room=lobby peers=3 request_id=abc trace_id=4bf9...
 * </pre>
 *
 * Timestamp in UTC, level padded to five characters, thread, logger abbreviated to 36
 * characters, message, then the key/value pairs and the MDC entries as {@code key=value}
 * (values with spaces, quotes or {@code =} are double-quoted), then the stack trace on the
 * following lines. Thread-safe and never throws, for the same reason as {@link JsonLinesEncoder}.
 */
final class TextLinesEncoder extends EncoderBase<ILoggingEvent> {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Abbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(36);

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        try {
            Instant instant = event.getInstant();
            line.append(TIMESTAMP.format(instant != null ? instant : Instant.ofEpochMilli(event.getTimeStamp())));
            String level = String.valueOf(event.getLevel());
            line.append(' ').append(level);
            for (int i = level.length(); i < 5; i++) {
                line.append(' ');
            }
            line.append(" [").append(event.getThreadName()).append("] ");
            line.append(abbreviator.abbreviate(String.valueOf(event.getLoggerName())));
            line.append(" - ").append(event.getFormattedMessage());
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair pair : pairs) {
                    if (pair != null) {
                        appendPair(line, String.valueOf(pair.key), safeToString(pair.value));
                    }
                }
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    appendPair(line, e.getKey(), e.getValue());
                }
            }
            line.append('\n');
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append('\n');
            }
        } catch (RuntimeException e) {
            line.setLength(0);
            line.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                    .append(event.getMessage()).append(" [log event could not be formatted: ").append(e).append("]\n");
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendPair(StringBuilder line, String key, String value) {
        line.append(' ').append(key).append('=');
        if (value == null) {
            line.append("null");
        } else if (value.isEmpty() || needsQuotes(value)) {
            line.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"':
                        line.append("\\\"");
                        break;
                    case '\\':
                        line.append("\\\\");
                        break;
                    case '\n':
                        line.append("\\n");
                        break;
                    case '\r':
                        line.append("\\r");
                        break;
                    default:
                        line.append(c);
                }
            }
            line.append('"');
        } else {
            line.append(value);
        }
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private static String safeToString(Object value) {
        try {
            return value == null ? null : String.valueOf(value);
        } catch (RuntimeException e) {
            return "[toString() of " + value.getClass().getName() + " failed]";
        }
    }
}
