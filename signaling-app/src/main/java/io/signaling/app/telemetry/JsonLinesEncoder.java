package io.signaling.app.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * <p>Thread-safe: each call uses its own generator; the output buffer, the names written and the
 * formatted second are kept per thread and reused (a line then allocates little more than its
 * own bytes: measured against Logback's {@code JsonEncoder} and logstash-logback-encoder by
 * {@code LogEncoderBenchmark}, see docs/performance.md). Never throws: a value whose {@code toString()}
 * fails is written as a placeholder, and if rendering fails as a whole, a reduced line with an
 * {@code encoder_error} field is written instead, because a logging failure must not become a
 * request failure.
 */
final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {

    static final Set<String> RESERVED =
            Set.of("timestamp", "level", "logger", "message", "thread", "stack_trace");

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A line longer than this does not stay allocated to its thread after it is written. */
    private static final int KEPT_BUFFER_BYTES = 16 * 1024;

    private final JsonFactory factory = JsonFactory.builder().build();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /**
     * One thread's reusable state. {@code busy} guards re-entrance: a value's {@code toString()}
     * that logs comes back to this encoder on the same thread while the outer line is half
     * written, and must not share its buffer.
     */
    private static final class Scratch {
        final ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        final List<String> names = new ArrayList<>(16);
        final char[] timestamp = new char[24];
        long second = Long.MIN_VALUE;
        boolean busy;
    }

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
        Scratch own = scratch.get();
        Scratch used = own.busy ? new Scratch() : own;
        used.busy = true;
        try {
            return render(event, used);
        } catch (IOException | RuntimeException e) {
            return renderReduced(event, e).getBytes(StandardCharsets.UTF_8);
        } finally {
            used.busy = false;
            used.names.clear();
            if (used.bytes.size() > KEPT_BUFFER_BYTES && used == own) {
                scratch.remove();
            }
            used.bytes.reset();
        }
    }

    private byte[] render(ILoggingEvent event, Scratch scratch) throws IOException {
        ByteArrayBuilder out = scratch.bytes;
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeFieldName("timestamp");
            writeTimestamp(json, event, scratch);
            json.writeStringField("level", String.valueOf(event.getLevel()));
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("message", event.getFormattedMessage());
            json.writeStringField("thread", event.getThreadName());
            List<String> names = scratch.names;
            writeMdc(json, event.getMDCPropertyMap(), names);
            writeKeyValues(json, event.getKeyValuePairs(), event.getMDCPropertyMap(), names);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("stack_trace", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** ISO-8601 UTC with milliseconds; the date and time up to the second are formatted once a second. */
    private static void writeTimestamp(JsonGenerator json, ILoggingEvent event, Scratch scratch)
            throws IOException {
        Instant instant = event.getInstant();
        long millis = instant != null ? instant.toEpochMilli() : event.getTimeStamp();
        long second = Math.floorDiv(millis, 1000L);
        char[] text = scratch.timestamp;
        if (second != scratch.second) {
            TIMESTAMP.format(Instant.ofEpochSecond(second)).getChars(0, 19, text, 0);
            scratch.second = second;
        }
        int milli = (int) Math.floorMod(millis, 1000L);
        text[19] = '.';
        text[20] = (char) ('0' + milli / 100);
        text[21] = (char) ('0' + milli / 10 % 10);
        text[22] = (char) ('0' + milli % 10);
        text[23] = 'Z';
        json.writeString(text, 0, 24);
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

    private static void writeMdc(JsonGenerator json, Map<String, String> mdc, List<String> used)
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
                                       List<String> used)
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

    // A line has a dozen fields at most: a list scan beats hashing into a fresh set per line.
    private static String unique(String key, String prefix, List<String> used) {
        if (claim(key, used)) {
            return key;
        }
        String candidate = prefix + key;
        for (int n = 2; !claim(candidate, used); n++) {
            candidate = prefix + key + "_" + n;
        }
        return candidate;
    }

    private static boolean claim(String name, List<String> used) {
        if (RESERVED.contains(name) || used.contains(name)) {
            return false;
        }
        used.add(name);
        return true;
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
