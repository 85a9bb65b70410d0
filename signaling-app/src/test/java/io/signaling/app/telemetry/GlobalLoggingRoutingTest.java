package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The process-wide wiring: the context SLF4J is bound to, org.slf4j.MDC, java.util.logging and
 * JBoss Logging (Undertow, XNIO) all end in the same JSON lines.
 */
class GlobalLoggingRoutingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private LogbackSetup setup;

    @BeforeAll
    static void routeJBossLogging() {
        LogbackSetup.routeJBossLoggingToSlf4j();
    }

    @BeforeEach
    void configure() {
        LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
        setup = LogbackSetup.configure(new LoggingSettings(LoggingSettings.Format.JSON, "INFO",
                Map.of("jul.chatty", "DEBUG"), 1024, false), global, out, true);
    }

    @AfterEach
    void stop() {
        setup.stop();
        MDC.clear();
    }

    private List<JsonNode> drained() throws Exception {
        setup.stop();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    private static JsonNode byMessage(List<JsonNode> nodes, String message) {
        return nodes.stream().filter(n -> n.get("message").asText().equals(message)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with message '" + message + "' in " + nodes));
    }

    @Test
    void slf4jMdcCarriesTraceAndRequestIds() throws Exception {
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("span_id", "00f067aa0ba902b7");
        MDC.put("request_id", "req-7");
        LoggerFactory.getLogger("io.signaling.Http").atInfo().addKeyValue("status", 200).log("served");

        JsonNode line = byMessage(drained(), "served");
        assertThat(line.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(line.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(line.get("request_id").asText()).isEqualTo("req-7");
        assertThat(line.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void javaUtilLoggingIsRoutedWithLevelsPropagated() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("jul.plain");
        java.util.logging.Logger chatty = java.util.logging.Logger.getLogger("jul.chatty");
        jul.info("jul info");
        jul.fine("jul fine dropped");
        chatty.fine("jul chatty fine");

        // The propagator made JUL's own level checks agree with Logback, so FINE is cut early.
        assertThat(jul.isLoggable(java.util.logging.Level.FINE)).isFalse();
        assertThat(chatty.isLoggable(java.util.logging.Level.FINE)).isTrue();
        List<JsonNode> lines = drained();
        assertThat(byMessage(lines, "jul info").get("logger").asText()).isEqualTo("jul.plain");
        assertThat(byMessage(lines, "jul chatty fine").get("level").asText()).isEqualTo("DEBUG");
        assertThat(lines).noneMatch(n -> n.get("message").asText().equals("jul fine dropped"));
    }

    @Test
    void jbossLoggingIsRoutedThroughSlf4j() throws Exception {
        // WARN: XNIO's INFO lines are version banners, quieted by default (LogbackSetup.QUIET_LOGGERS).
        org.jboss.logging.Logger.getLogger("org.xnio.test").warnf("xnio says %s", "hello");

        assertThat(System.getProperty(LogbackSetup.JBOSS_LOGGING_PROVIDER)).isEqualTo("slf4j");
        JsonNode line = byMessage(drained(), "xnio says hello");
        assertThat(line.get("logger").asText()).isEqualTo("org.xnio.test");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void publicConfigureBindsToSlf4jsContextAndWritesThroughAsyncToTheConsole() {
        setup.stop();
        setup = LogbackSetup.configure(LoggingSettings.defaults());

        assertThat(setup.context()).isSameAs(LoggerFactory.getILoggerFactory());
        ch.qos.logback.classic.Logger root = setup.context().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender(LogbackSetup.ASYNC_APPENDER_NAME))
                .isInstanceOfSatisfying(ch.qos.logback.classic.AsyncAppender.class, async -> {
                    assertThat(async.isNeverBlock()).isTrue();
                    assertThat(async.getQueueSize()).isEqualTo(LoggingSettings.DEFAULT_QUEUE_SIZE);
                    assertThat(async.getDiscardingThreshold())
                            .isEqualTo(LogbackSetup.discardingThreshold(LoggingSettings.DEFAULT_QUEUE_SIZE));
                    assertThat(async.getAppender(LogbackSetup.CONSOLE_APPENDER_NAME))
                            .isInstanceOf(ch.qos.logback.core.ConsoleAppender.class);
                });
        assertThat(root.iteratorForAppenders()).toIterable().hasSize(1);
    }
}
