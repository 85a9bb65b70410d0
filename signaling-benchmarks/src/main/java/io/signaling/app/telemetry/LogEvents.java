package io.signaling.app.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.event.KeyValuePair;

/**
 * The event and the encoders the log-encoder benchmarks compare. This class sits in the app's
 * telemetry package (a split package, benchmarks only) because the project's encoder is
 * package-private, as adapters are.
 */
final class LogEvents {

    private LogEvents() {
    }

    /** What the server logs most: an access-log line under a trace, with key/value pairs. */
    static ILoggingEvent accessLine(LoggerContext context) {
        Logger logger = context.getLogger("io.signaling.access");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "GET /health/ready 200", null, null);
        event.setThreadName("XNIO-1 I/O-1");
        event.setMDCPropertyMap(Map.of(
                "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
                "span_id", "00f067aa0ba902b7",
                "request_id", "7f3c9a51-2b1e-4c55-9d0a-6f1f3e2a9b10"));
        event.addKeyValuePair(new KeyValuePair("method", "GET"));
        event.addKeyValuePair(new KeyValuePair("path", "/health/ready"));
        event.addKeyValuePair(new KeyValuePair("status", 200));
        event.addKeyValuePair(new KeyValuePair("duration_ms", 0.412));
        event.addKeyValuePair(new KeyValuePair("bytes", 112L));
        event.addKeyValuePair(new KeyValuePair("remote", "10.0.0.7"));
        return event;
    }

    static Encoder<ILoggingEvent> started(String which, LoggerContext context) {
        Encoder<ILoggingEvent> encoder;
        switch (which) {
            case "project":
                encoder = new JsonLinesEncoder();
                break;
            case "logback":
                encoder = new JsonEncoder();
                break;
            case "logstash":
                encoder = new LogstashEncoder();
                break;
            default:
                throw new IllegalArgumentException("unknown encoder " + which);
        }
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
