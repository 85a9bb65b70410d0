package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An unreachable collector costs one WARN line, then a reminder at most once a minute, never a
 * stack trace per batch; recovery is said once.
 */
class ReportingSpanExporterTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final AtomicBoolean reachable = new AtomicBoolean(false);
    private final SpanExporter collector = new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return reachable.get() ? CompletableResultCode.ofSuccess()
                    : CompletableResultCode.ofExceptionalFailure(new java.io.IOException("request failed",
                            new ConnectException("Connection refused")));
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    };
    private final ReportingSpanExporter exporter;

    ReportingSpanExporterTest() {
        logs.setContext(context);
        logs.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("otel");
        logger.addAppender(logs);
        exporter = new ReportingSpanExporter(collector, "http://localhost:4318/v1/traces", logger, now::get);
    }

    private void exportBatches(int batches, Duration apart) {
        for (int i = 0; i < batches; i++) {
            exporter.export(Collections.nCopies(3, null));
            now.addAndGet(apart.toNanos());
        }
    }

    @Test
    void tenMinutesOfFailedBatchesAreOneWarningAndAReminderAMinute() {
        // A batch every 5 s for ten minutes, as the batch processor sends while nothing listens.
        exportBatches(120, Duration.ofSeconds(5));

        List<ILoggingEvent> events = logs.list;
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getThrowableProxy()).as("no stack trace").isNull();
        });
        assertThat(events.get(0).getFormattedMessage()).startsWith("traces are not exported: the OTLP collector is unreachable");
        assertThat(events.get(0).getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("reason");
            assertThat(kv.value).isEqualTo("ConnectException: Connection refused");
        });
        // The first line, then one reminder per full minute after it: 9 within ten minutes.
        assertThat(events).hasSize(10);
        assertThat(events.subList(1, events.size())).allSatisfy(e ->
                assertThat(e.getFormattedMessage()).startsWith("traces are still not exported"));
        assertThat(events.get(1).getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("dropped_spans");
            assertThat(kv.value).isEqualTo(13L * 3);
        });
    }

    @Test
    void recoveryIsSaidOnceAndTheNextOutageWarnsAgain() {
        exportBatches(3, Duration.ofSeconds(5));
        reachable.set(true);
        exportBatches(5, Duration.ofSeconds(5));
        reachable.set(false);
        exportBatches(1, Duration.ofSeconds(5));

        assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO, Level.WARN);
        assertThat(logs.list.get(1).getFormattedMessage()).startsWith("traces are exported again");
        assertThat(logs.list.get(2).getFormattedMessage()).startsWith("traces are not exported");
    }

    @Test
    void theExportersOwnPerBatchLoggerIsSwitchedOff() {
        assertThat(LogbackSetup.QUIET_LOGGERS).containsEntry(ReportingSpanExporter.REPLACED_LOGGER, "OFF");
        // The name is the real exporter's class: a renamed class upstream would leave its log on.
        assertThat(ReportingSpanExporter.REPLACED_LOGGER)
                .isEqualTo(io.opentelemetry.exporter.otlp.internal.HttpExporter.class.getName());
    }
}
