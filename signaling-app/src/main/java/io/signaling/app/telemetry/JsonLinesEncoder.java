package io.signaling.app.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Renders each event as one JSON object on one line (UTF-8, {@code \n}-terminated).
 *
 * <p>Fields, in order: {@code timestamp} (ISO-8601 UTC, milliseconds, {@code Z}), {@code level},
 * {@code logger}, {@code message}, {@code thread}; then every MDC entry (so {@code trace_id},
 * {@code span_id}, {@code request_id} appear when set); then every SLF4J 2 key/value pair, numbers
 * and booleans as JSON numbers and booleans, {@code null} as null, anything else as its string
 * form; finally {@code stack_trace} as one string when the event carries a throwable.
 *
 * <p>The fixed fields are never overwritten: an MDC key that clashes with one is written as
 * {@code mdc_<key>}, a key/value pair that clashes with a fixed field or an earlier field as
 * {@code kv_<key>} (then {@code kv_<key>_2}, ...), so every line has unique keys and loses
 * nothing.
 *
 * <p>Thread-safe: each call uses its own generator. Never throws: a value whose {@code toString()}
 * fails is written as a placeholder, and if rendering fails as a whole, a reduced line with an
 * {@code encoder_error} field is written instead, because a logging failure must not become a
 * request failure.
 */
final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {

    static final Set<String> RESERVED =
            Set.of("timestamp", "level", "logger", "message", "thread", "stack_trace");

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final JsonFactory factory = JsonFactory.builder().build();

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
        String line;
        try {
            line = render(event, true);
        } catch (IOException | RuntimeException e) {
            line = renderReduced(event, e);
        }
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private String render(ILoggingEvent event, boolean withContext) throws IOException {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", timestamp(event));
            json.writeStringField("level", String.valueOf(event.getLevel()));
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("message", event.getFormattedMessage());
            json.writeStringField("thread", event.getThreadName());
            if (withContext) {
                Set<String> used = new HashSet<>(RESERVED);
                writeMdc(json, event.getMDCPropertyMap(), used);
                writeKeyValues(json, event.getKeyValuePairs(), event.getMDCPropertyMap(), used);
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("stack_trace", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        }
        return out.append('\n').toString();
    }

    private String renderReduced(ILoggingEvent event, Exception cause) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", TIMESTAMP.format(Instant.now()));
            json.writeStringField("level", String.valueOf(event.getLevel()));
            json.writeStringField("logger", String.valueOf(event.getLoggerName()));
            json.writeStringField("message", String.valueOf(event.getMessage()));
            json.writeStringField("thread", Thread.currentThread().getName());
            json.writeStringField("encoder_error", cause.toString());
            json.writeEndObject();
        } catch (IOException | RuntimeException ignored) {
            return "{\"level\":\"ERROR\",\"message\":\"log event could not be encoded\"}\n";
        }
        return out.append('\n').toString();
    }

    private static String timestamp(ILoggingEvent event) {
        Instant instant = event.getInstant();
        return TIMESTAMP.format(instant != null ? instant : Instant.ofEpochMilli(event.getTimeStamp()));
    }

    private static void writeMdc(JsonGenerator json, Map<String, String> mdc, Set<String> used)
            throws IOException {
        if (mdc == null || mdc.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> e : mdc.entrySet()) {
            String name = unique(String.valueOf(e.getKey()), "mdc_", used);
            json.writeFieldName(name);
            if (e.getValue() == null) {
                json.writeNull();
            } else {
                json.writeString(e.getValue());
            }
        }
    }

    // A pair that says what the MDC already says (the access log names the trace id it runs
    // under) would only add a kv_ twin of the same value.
    private static boolean repeatsMdc(KeyValuePair pair, Map<String, String> mdc) {
        if (mdc == null || pair.key == null || pair.value == null) {
            return false;
        }
        String inMdc = mdc.get(pair.key);
        return inMdc != null && inMdc.equals(String.valueOf(pair.value));
    }

    private static void writeKeyValues(JsonGenerator json, List<KeyValuePair> pairs, Map<String, String> mdc,
                                       Set<String> used)
            throws IOException {
        if (pairs == null || pairs.isEmpty()) {
            return;
        }
        for (KeyValuePair pair : pairs) {
            if (pair == null || repeatsMdc(pair, mdc)) {
                continue;
            }
            json.writeFieldName(unique(String.valueOf(pair.key), "kv_", used));
            writeValue(json, pair.value);
        }
    }

    private static String unique(String key, String prefix, Set<String> used) {
        if (used.add(key)) {
            return key;
        }
        String candidate = prefix + key;
        for (int n = 2; !used.add(candidate); n++) {
            candidate = prefix + key + "_" + n;
        }
        return candidate;
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Boolean) {
            json.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                json.writeNumber(d);
            } else {
                // JSON has no NaN/Infinity; a string keeps the line parseable.
                json.writeString(Double.toString(d));
            }
        } else if (value instanceof BigDecimal) {
            json.writeNumber((BigDecimal) value);
        } else if (value instanceof BigInteger) {
            json.writeNumber((BigInteger) value);
        } else {
            json.writeString(safeToString(value));
        }
    }

    private static String safeToString(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException e) {
            return "[toString() of " + value.getClass().getName() + " failed: " + e + "]";
        }
    }
}
