package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Logback configured on a private context, writing to a buffer instead of stdout. */
class LogbackSetupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private LogbackSetup setup;

    @AfterEach
    void stop() {
        if (setup != null) {
            setup.stop();
        }
        context.stop();
    }

    private LogbackSetup configure(LoggingSettings settings) {
        setup = LogbackSetup.configure(settings, context, out, false);
        return setup;
    }

    /** Stops the set-up, which drains the async queue, and returns what reached the sink. */
    private List<String> drainedLines() {
        setup.stop();
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void jsonIsTheDefaultAndCarriesKeyValuesAndThrowables() throws Exception {
        configure(LoggingSettings.defaults());
        Logger log = context.getLogger("io.signaling.Rooms");

        log.atInfo().addKeyValue("room", "lobby").addKeyValue("peers", 2).log("peer joined");
        log.error("join failed", new IllegalArgumentException("bad sdp"));

        List<String> lines = drainedLines();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("message").asText()).isEqualTo("peer joined");
        assertThat(first.get("logger").asText()).isEqualTo("io.signaling.Rooms");
        assertThat(first.get("room").asText()).isEqualTo("lobby");
        assertThat(first.get("peers").asInt()).isEqualTo(2);
        assertThat(first.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("level").asText()).isEqualTo("ERROR");
        assertThat(second.get("stack_trace").asText()).startsWith("java.lang.IllegalArgumentException: bad sdp");
    }

    @Test
    void mdcOfTheContextReachesTheLine() throws Exception {
        configure(LoggingSettings.defaults());
        context.getMDCAdapter().put("trace_id", "0af7651916cd43dd8448eb211c80319c");
        context.getMDCAdapter().put("request_id", "r-1");
        try {
            context.getLogger("x").info("inside");
        } finally {
            context.getMDCAdapter().clear();
        }
        context.getLogger("x").info("outside");

        List<String> lines = drainedLines();
        JsonNode inside = JSON.readTree(lines.get(0));
        assertThat(inside.get("trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(inside.get("request_id").asText()).isEqualTo("r-1");
        assertThat(JSON.readTree(lines.get(1)).has("trace_id")).isFalse();
    }

    @Test
    void textFormatIsAReadableLineWithKeyValuesAndMdc() {
        configure(new LoggingSettings(LoggingSettings.Format.TEXT, "INFO", Map.of(), 256, false));
        context.getMDCAdapter().put("request_id", "r-9");
        try {
            context.getLogger("io.signaling.app.Main").atWarn()
                    .addKeyValue("port", 8080)
                    .addKeyValue("reason", "address in use")
                    .log("cannot bind");
        } finally {
            context.getMDCAdapter().clear();
        }
        context.getLogger("io.signaling.app.Main").error("failed", new IllegalStateException("boom"));

        List<String> lines = drainedLines();
        assertThat(lines.get(0)).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  \\[[^]]+] io\\.signaling\\.app\\.Main - cannot bind"
                        + " port=8080 reason=\"address in use\" request_id=r-9");
        assertThat(lines.get(1)).contains(" ERROR [").endsWith(" - failed");
        assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(lines.get(3)).startsWith("\tat ");
        assertThat(String.join("\n", lines)).doesNotContain("{\"");
    }

    @Test
    void theJdksOwnLoggersAndLibraryBannersStayQuietAtADebugRootUnlessNamed() throws Exception {
        // The dev profile's root level; a user who wants the JDK's security events names them.
        configure(new LoggingSettings(LoggingSettings.Format.JSON, "DEBUG",
                Map.of("jdk.internal.httpclient.debug", "DEBUG"), 256, false));

        context.getLogger("jdk.event.security").debug("X509Certificate: Alg:SHA256withRSA");
        context.getLogger("jdk.internal.httpclient").debug("HttpClientImpl(1) selector");
        context.getLogger("org.xnio").info("XNIO version 3.8.16.Final");
        context.getLogger("io.undertow.websockets.jsr").info("UT026005: Adding programmatic server endpoint");
        context.getLogger("jdk.event.security").warn("security warning kept");
        context.getLogger("jdk.internal.httpclient.debug").debug("named by the user: kept");
        context.getLogger("io.signaling.app.Launcher").debug("the app's own debug kept");

        List<String> messages = new ArrayList<>();
        for (String line : drainedLines()) {
            messages.add(JSON.readTree(line).get("message").asText());
        }
        assertThat(messages).containsExactly("security warning kept", "named by the user: kept", "the app's own debug kept");
    }

    @Test
    void levelsApplyPerLogger() throws Exception {
        configure(new LoggingSettings(LoggingSettings.Format.JSON, "info",
                Map.of("io.signaling.chatty", "DEBUG", "io.undertow", "warn", "io.quiet", "OFF"), 256, false));

        context.getLogger("io.signaling.Other").debug("root is INFO: dropped");
        context.getLogger("io.signaling.Other").info("root info kept");
        context.getLogger("io.signaling.chatty.Peer").debug("chatty debug kept");
        context.getLogger("io.signaling.chatty.Peer").trace("chatty trace dropped");
        context.getLogger("io.undertow.request").info("undertow info dropped");
        context.getLogger("io.undertow.request").warn("undertow warn kept");
        context.getLogger("io.quiet.X").error("off: dropped");

        List<String> messages = new ArrayList<>();
        for (String line : drainedLines()) {
            messages.add(JSON.readTree(line).get("message").asText());
        }
        assertThat(messages).containsExactly("root info kept", "chatty debug kept", "undertow warn kept");
    }

    @Test
    void configureResetsAnEarlierConfiguration() {
        configure(new LoggingSettings(LoggingSettings.Format.JSON, "ERROR", Map.of(), 16, false));
        configure(new LoggingSettings(LoggingSettings.Format.TEXT, "INFO", Map.of(), 16, false));

        context.getLogger("x").info("once");
        assertThat(context.getLogger("ROOT").iteratorForAppenders()).toIterable().hasSize(1);

        List<String> lines = drainedLines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).endsWith(" - once");
    }

    @Test
    void stopIsIdempotent() {
        configure(LoggingSettings.defaults());
        context.getLogger("x").info("one");
        setup.stop();
        setup.stop();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"one\"");
    }

    @Test
    void badSettingsAreRejectedWithAPreciseMessage() {
        assertThatThrownBy(() -> new LoggingSettings(LoggingSettings.Format.JSON, "VERBOSE", Map.of(), 16, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'VERBOSE'").hasMessageContaining("root");
        assertThatThrownBy(() -> new LoggingSettings(LoggingSettings.Format.JSON, "INFO",
                Map.of("io.undertow", "LOUD"), 16, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("io.undertow").hasMessageContaining("'LOUD'");
        assertThatThrownBy(() -> new LoggingSettings(LoggingSettings.Format.JSON, "INFO", Map.of(), 0, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue size: 0");
        assertThatThrownBy(() -> LoggingSettings.Format.parse("xml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'xml'").hasMessageContaining("json or text");
        assertThat(LoggingSettings.Format.parse(" Text ")).isEqualTo(LoggingSettings.Format.TEXT);
    }

    @Test
    void settingsAreImmutableCopies() {
        Map<String, String> levels = new java.util.HashMap<>(Map.of("a", "DEBUG"));
        LoggingSettings settings = new LoggingSettings(LoggingSettings.Format.JSON, "INFO", levels, 16, false);
        levels.put("b", "TRACE");

        assertThat(settings.levels()).containsOnlyKeys("a");
        assertThatThrownBy(() -> settings.levels().put("c", "INFO")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void otelBaggageParserIsSilencedBelowErrorUnlessConfigured() {
        configure(LoggingSettings.defaults());
        assertThat(context.getLogger(LogbackSetup.OTEL_BAGGAGE_PARSER).getLevel())
                .isEqualTo(ch.qos.logback.classic.Level.ERROR);
        setup.stop();
        configure(new LoggingSettings(LoggingSettings.Format.JSON, "INFO",
                java.util.Map.of(LogbackSetup.OTEL_BAGGAGE_PARSER, "WARN"), LoggingSettings.DEFAULT_QUEUE_SIZE, false));
        assertThat(context.getLogger(LogbackSetup.OTEL_BAGGAGE_PARSER).getLevel())
                .isEqualTo(ch.qos.logback.classic.Level.WARN);
    }
}
