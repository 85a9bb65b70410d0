package io.signaling.app.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Creates and owns the Prometheus meter registry: common tags from {@link MetricsSettings} on
 * every meter, and the JVM and process binders (class loading, memory pools and buffers, GC
 * pauses and sizes, threads, CPU usage and load, uptime, open/max file descriptors, JVM info).
 *
 * <p>The registry is handed to the Micrometer metrics adapter and to the {@code /metrics}
 * endpoint through {@link #scrape()}. It is never added to {@code Metrics.globalRegistry}.
 * {@link #close()} unregisters the GC notification listener (which would otherwise outlive the
 * registry) and closes the registry. Thread-safe.
 */
public final class PrometheusSetup implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final PrometheusScrape scrape;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PrometheusSetup(PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics) {
        this.registry = registry;
        this.gcMetrics = gcMetrics;
        this.scrape = new PrometheusScrape(registry);
    }

    /** A new registry with the common tags and every JVM/process binder bound. */
    public static PrometheusSetup create(MetricsSettings settings) {
        Objects.requireNonNull(settings, "settings");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<Tag> tags = new ArrayList<>();
        settings.commonTags().forEach((name, value) -> tags.add(Tag.of(name, value)));
        // Common tags only apply to meters registered after this line, so it comes first.
        registry.config().commonTags(tags);

        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        return new PrometheusSetup(registry, gc);
    }

    /**
     * Exports {@code signaling_log_events_dropped_total}: log events the async log queue dropped
     * because stdout fell behind (see {@link LogbackSetup}). Read on each scrape, never on the
     * logging path.
     */
    public void bindDroppedLogEvents(LogbackSetup logging) {
        Objects.requireNonNull(logging, "logging");
        FunctionCounter.builder("signaling.log.events.dropped", logging, LogbackSetup::droppedEvents)
                .description("Log events dropped because the async log queue was full")
                .register(registry);
    }

    /** The registry, for the metrics adapter. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Content negotiation and rendering for the scrape endpoint. */
    public PrometheusScrape scrape() {
        return scrape;
    }

    /** Stops the GC listener and closes the registry. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            gcMetrics.close();
            registry.close();
        }
    }
}
