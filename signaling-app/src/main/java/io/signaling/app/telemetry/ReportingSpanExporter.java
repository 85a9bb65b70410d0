package io.signaling.app.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The OTLP exporter, reporting an unreachable collector the way an operator can live with: one
 * WARN line when exports start failing (endpoint and reason, no stack trace), then at most one
 * reminder per {@link #REMINDER_INTERVAL} with what was dropped since, and one INFO line when
 * exports succeed again. The exporter's own logger, which writes an ERROR with a stack trace for
 * every failed batch, is switched off ({@link #REPLACED_LOGGER}, in {@link LogbackSetup}).
 *
 * <p>Thread-safe: the batch processor calls {@link #export} from its worker thread, and the result
 * completes on the HTTP client's threads; the streak state is guarded by this object's lock.
 */
final class ReportingSpanExporter implements SpanExporter {

    /** The JUL logger of the OTLP HTTP exporter this class speaks for. */
    static final String REPLACED_LOGGER = "io.opentelemetry.exporter.otlp.internal.HttpExporter";
    static final Duration REMINDER_INTERVAL = Duration.ofMinutes(1);

    private final SpanExporter delegate;
    private final String endpoint;
    private final Logger log;
    private final LongSupplier nanoTime;

    // Guarded by this.
    private boolean failing;
    private long lastReportNanos;
    private long failedBatches;
    private long droppedSpans;

    ReportingSpanExporter(SpanExporter delegate, String endpoint, Logger log, LongSupplier nanoTime) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.log = Objects.requireNonNull(log, "log");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = delegate.export(spans);
        int size = spans.size();
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                succeeded();
            } else {
                failed(size, result.getFailureThrowable());
            }
        });
        return result;
    }

    private void succeeded() {
        long dropped;
        synchronized (this) {
            if (!failing) {
                return;
            }
            failing = false;
            dropped = droppedSpans;
            failedBatches = 0;
            droppedSpans = 0;
        }
        log.atInfo().addKeyValue("endpoint", endpoint).addKeyValue("dropped_spans", dropped)
                .log("traces are exported again: the OTLP collector is reachable");
    }

    private void failed(int spans, Throwable cause) {
        String reason = reason(cause);
        boolean first;
        long batches;
        long dropped;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            first = !failing;
            failing = true;
            failedBatches++;
            droppedSpans += spans;
            if (!first && now - lastReportNanos < REMINDER_INTERVAL.toNanos()) {
                return;
            }
            lastReportNanos = now;
            batches = failedBatches;
            dropped = droppedSpans;
        }
        if (first) {
            log.atWarn().addKeyValue("endpoint", endpoint).addKeyValue("reason", reason)
                    .log("traces are not exported: the OTLP collector is unreachable (start one, e.g. the compose"
                            + " stack's, or set tracing.exporter=none); reminding at most once a minute");
        } else {
            log.atWarn().addKeyValue("endpoint", endpoint).addKeyValue("reason", reason)
                    .addKeyValue("failed_batches", batches).addKeyValue("dropped_spans", dropped)
                    .log("traces are still not exported: the OTLP collector is unreachable");
        }
    }

    private static String reason(Throwable cause) {
        if (cause == null) {
            return "the collector refused the batch";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public String toString() {
        return "ReportingSpanExporter{" + delegate + "}";
    }
}
