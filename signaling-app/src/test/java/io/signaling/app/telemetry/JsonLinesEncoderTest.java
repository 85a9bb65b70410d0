package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonLinesEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext context = new LoggerContext();
    private final JsonLinesEncoder encoder = new JsonLinesEncoder();

    @AfterEach
    void stopContext() {
        context.stop();
    }

    private LoggingEvent event(Level level, String message, Throwable thrown, Object... args) {
        return event(Map.of(), level, message, thrown, args);
    }

    private LoggingEvent event(Map<String, String> mdc, Level level, String message, Throwable thrown,
            Object... args) {
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("io.signaling.test.Room"),
                level, message, thrown, args);
        event.setThreadName("worker-7");
        event.setInstant(Instant.parse("2026-03-04T05:06:07.089123Z"));
        event.setMDCPropertyMap(mdc);
        return event;
    }

    private String encodeToString(LoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    private JsonNode parseSingleLine(String line) throws Exception {
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
        return JSON.readTree(line);
    }

    @Test
    void writesTheFixedFieldsAsOneJsonObjectPerLine() throws Exception {
        JsonNode node = parseSingleLine(encodeToString(event(Level.WARN, "peer {} left", null, "p-1")));

        assertThat(node.get("timestamp").asText()).isEqualTo("2026-03-04T05:06:07.089Z");
        assertThat(node.get("level").asText()).isEqualTo("WARN");
        assertThat(node.get("logger").asText()).isEqualTo("io.signaling.test.Room");
        assertThat(node.get("message").asText()).isEqualTo("peer p-1 left");
        assertThat(node.get("thread").asText()).isEqualTo("worker-7");
        assertThat(node.has("stack_trace")).isFalse();
    }

    @Test
    void keyValuesBecomeTopLevelFieldsWithJsonTypes() throws Exception {
        LoggingEvent event = event(Level.INFO, "joined", null);
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("room", "lobby"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("peers", 3));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("bytes", 12_345_678_901L));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("ratio", 0.25));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("admitted", true));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("nothing", null));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("nan", Double.NaN));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("path", java.nio.file.Path.of("/tmp/x")));

        JsonNode node = parseSingleLine(encodeToString(event));

        assertThat(node.get("room").isTextual()).isTrue();
        assertThat(node.get("room").asText()).isEqualTo("lobby");
        assertThat(node.get("peers").isInt()).isTrue();
        assertThat(node.get("peers").asInt()).isEqualTo(3);
        assertThat(node.get("bytes").asLong()).isEqualTo(12_345_678_901L);
        assertThat(node.get("ratio").isDouble()).isTrue();
        assertThat(node.get("ratio").asDouble()).isEqualTo(0.25);
        assertThat(node.get("admitted").isBoolean()).isTrue();
        assertThat(node.get("admitted").asBoolean()).isTrue();
        assertThat(node.get("nothing").isNull()).isTrue();
        assertThat(node.get("nan").asText()).isEqualTo("NaN");
        assertThat(node.get("path").asText()).isEqualTo("/tmp/x");
    }

    @Test
    void mdcEntriesBecomeTopLevelFields() throws Exception {
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("x"), Level.INFO, "m", null, null);
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        mdc.put("span_id", "00f067aa0ba902b7");
        mdc.put("request_id", "req-42");
        event.setMDCPropertyMap(mdc);

        JsonNode node = parseSingleLine(encodeToString(event));

        assertThat(node.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(node.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(node.get("request_id").asText()).isEqualTo("req-42");
    }

    @Test
    void aPairRepeatingTheMdcValueIsWrittenOnceButADifferentValueIsKept() throws Exception {
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("x"), Level.INFO, "m", null, null);
        event.setMDCPropertyMap(Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("span_id", "1111111111111111"));

        JsonNode node = parseSingleLine(encodeToString(event));

        assertThat(node.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(node.has("kv_trace_id")).isFalse();
        assertThat(node.get("kv_span_id").asText()).isEqualTo("1111111111111111");
    }

    @Test
    void reservedNamesAreNeverOverwritten() throws Exception {
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("real.Logger"), Level.INFO,
                "real message", null, null);
        event.setMDCPropertyMap(Map.of("level", "mdc-level", "request_id", "from-mdc"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("message", "kv message"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("logger", "kv logger"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("request_id", "from-kv"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("request_id", "from-kv-again"));

        String line = encodeToString(event);
        JsonNode node = parseSingleLine(line);

        assertThat(node.get("message").asText()).isEqualTo("real message");
        assertThat(node.get("logger").asText()).isEqualTo("real.Logger");
        assertThat(node.get("level").asText()).isEqualTo("INFO");
        assertThat(node.get("mdc_level").asText()).isEqualTo("mdc-level");
        assertThat(node.get("kv_message").asText()).isEqualTo("kv message");
        assertThat(node.get("kv_logger").asText()).isEqualTo("kv logger");
        assertThat(node.get("request_id").asText()).isEqualTo("from-mdc");
        assertThat(node.get("kv_request_id").asText()).isEqualTo("from-kv");
        assertThat(node.get("kv_request_id_2").asText()).isEqualTo("from-kv-again");
        // Every key appears once: a parser that keeps the last duplicate would otherwise lose data.
        assertThat(line.split("\"request_id\":", -1)).hasSize(2);
    }

    @Test
    void stackTraceIsOneStringField() throws Exception {
        IllegalStateException failure = new IllegalStateException("room is full",
                new java.io.IOException("disk"));
        LoggingEvent event = event(Level.ERROR, "join failed", failure);

        JsonNode node = parseSingleLine(encodeToString(event));

        String stack = node.get("stack_trace").asText();
        assertThat(stack).startsWith("java.lang.IllegalStateException: room is full");
        assertThat(stack).contains("\tat " + getClass().getName() + ".stackTraceIsOneStringField");
        assertThat(stack).contains("Caused by: java.io.IOException: disk");
        assertThat(node.get("message").asText()).isEqualTo("join failed");
    }

    @Test
    void escapesQuotesNewlinesControlCharactersAndUnicode() throws Exception {
        String nasty = "say \"hi\"\nsecond line\r\n\ttab \\ back \u0001 ctl é 漢字 😀 </script>";
        LoggingEvent event = event(Map.of("user", nasty), Level.INFO, nasty, null);
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("we\"ird\nkey", nasty));

        String line = encodeToString(event);
        JsonNode node = parseSingleLine(line);

        assertThat(node.get("message").asText()).isEqualTo(nasty);
        assertThat(node.get("we\"ird\nkey").asText()).isEqualTo(nasty);
        assertThat(node.get("user").asText()).isEqualTo(nasty);
    }

    @Test
    void aValueWhoseToStringThrowsIsReplacedAndTheLineSurvives() throws Exception {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("boom");
            }
        };
        LoggingEvent event = event(Level.INFO, "still logged", null);
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("hostile", hostile));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("after", "kept"));

        JsonNode node = parseSingleLine(encodeToString(event));

        assertThat(node.get("message").asText()).isEqualTo("still logged");
        assertThat(node.get("hostile").asText()).contains("toString()").contains("boom");
        assertThat(node.get("after").asText()).isEqualTo("kept");
    }

    @Test
    void aLoneSurrogateDoesNotBreakTheLine() throws Exception {
        JsonNode node = parseSingleLine(encodeToString(event(Level.INFO, "half \uD83D pair", null)));

        assertThat(node.get("message").asText()).startsWith("half ").endsWith(" pair");
    }

    @Test
    void aValueWhoseToStringLogsThroughTheSameEncoderGetsItsOwnBuffer() throws Exception {
        String[] inner = new String[1];
        Object reentrant = new Object() {
            @Override
            public String toString() {
                inner[0] = encodeToString(event(Level.DEBUG, "inner line", null));
                return "outer value";
            }
        };
        LoggingEvent outer = event(Level.INFO, "outer line", null);
        outer.addKeyValuePair(new org.slf4j.event.KeyValuePair("thing", reentrant));

        JsonNode outerNode = parseSingleLine(encodeToString(outer));
        JsonNode innerNode = parseSingleLine(inner[0]);

        assertThat(outerNode.get("message").asText()).isEqualTo("outer line");
        assertThat(outerNode.get("thing").asText()).isEqualTo("outer value");
        assertThat(innerNode.get("message").asText()).isEqualTo("inner line");
        assertThat(innerNode.has("thing")).isFalse();
    }

    @Test
    void consecutiveLinesShareNothingButTheBuffer() throws Exception {
        LoggingEvent big = event(Map.of("request_id", "r-1"), Level.INFO, "x".repeat(40_000), null);
        big.addKeyValuePair(new org.slf4j.event.KeyValuePair("room", "lobby"));
        LoggingEvent small = event(Level.INFO, "small", null);
        small.setInstant(Instant.parse("2026-03-04T05:06:08.007Z"));

        JsonNode first = parseSingleLine(encodeToString(big));
        JsonNode second = parseSingleLine(encodeToString(small));
        JsonNode third = parseSingleLine(encodeToString(big));

        assertThat(first.get("message").asText()).hasSize(40_000);
        assertThat(second.get("message").asText()).isEqualTo("small");
        assertThat(second.has("request_id")).isFalse();
        assertThat(second.has("room")).isFalse();
        assertThat(second.get("timestamp").asText()).isEqualTo("2026-03-04T05:06:08.007Z");
        assertThat(third.get("timestamp").asText()).isEqualTo("2026-03-04T05:06:07.089Z");
        assertThat(third.get("room").asText()).isEqualTo("lobby");
    }

    @Test
    void timestampsBeforeTheEpochKeepTheirMilliseconds() throws Exception {
        LoggingEvent early = event(Level.INFO, "early", null);
        early.setInstant(Instant.parse("1969-12-31T23:59:59.250Z"));

        assertThat(parseSingleLine(encodeToString(early)).get("timestamp").asText())
                .isEqualTo("1969-12-31T23:59:59.250Z");
    }
}
