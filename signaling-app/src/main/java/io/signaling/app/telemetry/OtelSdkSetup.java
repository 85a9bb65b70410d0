package io.signaling.app.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessorBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds and owns the OpenTelemetry used for tracing: the SDK when spans go somewhere, and with the
 * exporter {@code none} the API alone ({@link IdOnlyTracing}), which gives every span its ids and
 * records nothing. Neither is ever registered as {@code GlobalOpenTelemetry}: the launcher hands
 * {@link #openTelemetry()} to the tracer adapter.
 *
 * <ul>
 *   <li>Resource: the SDK defaults, then {@code OTEL_RESOURCE_ATTRIBUTES} from the settings'
 *       environment, then {@code service.name}, {@code service.version} and
 *       {@code service.instance.id} from the settings, which win.</li>
 *   <li>Propagation: W3C {@code traceparent}/{@code tracestate} and W3C {@code baggage}.</li>
 *   <li>Sampling: parent-based; new root traces sampled with the configured ratio. With the
 *       exporter {@code none}, nothing is sampled.</li>
 *   <li>Export: {@code none} builds no SDK (spans still get ids, propagate and appear in logs);
 *       {@code otlp} and {@code logging} go through a {@link BatchSpanProcessor}, tuned by
 *       {@code OTEL_BSP_SCHEDULE_DELAY}, {@code OTEL_BSP_MAX_QUEUE_SIZE},
 *       {@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE} and {@code OTEL_BSP_EXPORT_TIMEOUT} when set.
 *       OTLP is http/protobuf over the JDK {@code HttpClient} (see {@link OtlpEnvironment} for
 *       the variables honoured).</li>
 * </ul>
 * Thread-safe.
 */
public final class OtelSdkSetup implements AutoCloseable {

    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
    static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final OpenTelemetry openTelemetry;
    // Null with the exporter none: the SDK is then neither built nor loaded (but for two of its
    // interfaces, which the verifier loads for this class's exporter paths).
    private final OpenTelemetrySdk sdk;
    private final AtomicBoolean shutDown = new AtomicBoolean();

    private OtelSdkSetup(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
    }

    /**
     * Builds tracing from {@code settings}: the SDK with the exporter they name, or with
     * {@code none} no SDK at all.
     *
     * @throws IllegalArgumentException if an {@code OTEL_*} variable the chosen exporter reads is
     *                                  malformed (the message names it)
     */
    public static OtelSdkSetup create(TracingSettings settings) {
        Objects.requireNonNull(settings, "settings");
        SpanExporter exporter;
        switch (settings.exporter()) {
            case OTLP:
                OtlpEnvironment otlp = OtlpEnvironment.from(settings.otelEnv());
                exporter = new ReportingSpanExporter(otlp.exporter(), otlp.endpoint(),
                        org.slf4j.LoggerFactory.getLogger(OtelSdkSetup.class), System::nanoTime);
                break;
            case LOGGING:
                exporter = LoggingSpanExporter.create();
                break;
            case NONE:
            default:
                exporter = null;
                break;
        }
        return create(settings, exporter);
    }

    /**
     * As {@link #create(TracingSettings)} with the exporter given instead of the one the settings
     * name (an embedding service's own, or a benchmark's); {@code null} means none: no SDK, nothing
     * recorded, whatever the ratio or a caller's sampled parent. Spans go to the exporter through
     * the batch processor; shutting this down shuts the exporter down.
     */
    public static OtelSdkSetup create(TracingSettings settings, SpanExporter exporter) {
        Objects.requireNonNull(settings, "settings");
        if (exporter == null) {
            // With nowhere to send them, recorded spans are pure cost (a fifth of the relay's
            // throughput, docs/performance.md §4e), and so is the SDK's start (docs/performance.md §5).
            return new OtelSdkSetup(new IdOnlyTracing(propagators()), null);
        }
        try {
            SdkTracerProviderBuilder tracing = SdkTracerProvider.builder()
                    .setResource(resource(settings))
                    .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.samplingRatio())))
                    .addSpanProcessor(batchProcessor(exporter, settings.otelEnv()));
            OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(tracing.build())
                    .setPropagators(propagators())
                    .build();
            return new OtelSdkSetup(sdk, sdk);
        } catch (RuntimeException e) {
            // The exporter may own an HTTP client and threads; a failed start must not leak them.
            exporter.shutdown();
            throw e;
        }
    }

    private static ContextPropagators propagators() {
        return ContextPropagators.create(TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
    }

    /** What the tracer adapter is built on. */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** The SDK, when there is an exporter; empty with the exporter none. */
    public Optional<OpenTelemetrySdk> sdk() {
        return Optional.ofNullable(sdk);
    }

    /** Exports every finished span now; {@code true} if that completed within {@code timeout}. */
    public boolean forceFlush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (sdk == null) {
            return true;
        }
        return sdk.getSdkTracerProvider().forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /**
     * Flushes pending spans and shuts the SDK down, waiting at most {@code deadline}; spans still
     * unexported then are lost. Never throws; idempotent (later calls return {@code true}).
     *
     * @return whether everything was exported and closed within the deadline
     */
    public boolean shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (!shutDown.compareAndSet(false, true) || sdk == null) {
            return true;
        }
        try {
            CompletableResultCode result = sdk.shutdown();
            return result.join(Math.max(0, deadline.toMillis()), TimeUnit.MILLISECONDS).isSuccess();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@link #shutdown(Duration)} with a 10 s deadline. */
    @Override
    public void close() {
        shutdown(CLOSE_TIMEOUT);
    }

    static Resource resource(TracingSettings settings) {
        AttributesBuilder fromEnv = Attributes.builder();
        String raw = settings.otelEnv().get("OTEL_RESOURCE_ATTRIBUTES");
        if (raw != null && !raw.isBlank()) {
            for (String entry : raw.split(",")) {
                int eq = entry.indexOf('=');
                if (entry.isBlank()) {
                    continue;
                }
                if (eq <= 0) {
                    throw new IllegalArgumentException("OTEL_RESOURCE_ATTRIBUTES: entry '" + entry.trim()
                            + "' is not of the form key=value");
                }
                String value = entry.substring(eq + 1).trim();
                try {
                    value = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("OTEL_RESOURCE_ATTRIBUTES: value of '"
                            + entry.substring(0, eq).trim() + "' has a malformed percent-encoding", e);
                }
                fromEnv.put(entry.substring(0, eq).trim(), value);
            }
        }
        Attributes service = Attributes.of(
                SERVICE_NAME, settings.serviceName(),
                SERVICE_VERSION, settings.serviceVersion(),
                SERVICE_INSTANCE_ID, settings.instanceId());
        return Resource.getDefault()
                .merge(Resource.create(fromEnv.build()))
                .merge(Resource.create(service));
    }

    private static BatchSpanProcessor batchProcessor(SpanExporter exporter, Map<String, String> env) {
        BatchSpanProcessorBuilder batch = BatchSpanProcessor.builder(exporter);
        if (OtlpEnvironment.present(env, "OTEL_BSP_SCHEDULE_DELAY")) {
            batch.setScheduleDelay(Duration.ofMillis(
                    OtlpEnvironment.nonNegativeLong("OTEL_BSP_SCHEDULE_DELAY", env.get("OTEL_BSP_SCHEDULE_DELAY"))));
        }
        if (OtlpEnvironment.present(env, "OTEL_BSP_EXPORT_TIMEOUT")) {
            batch.setExporterTimeout(Duration.ofMillis(
                    OtlpEnvironment.nonNegativeLong("OTEL_BSP_EXPORT_TIMEOUT", env.get("OTEL_BSP_EXPORT_TIMEOUT"))));
        }
        int queue = 2048;
        if (OtlpEnvironment.present(env, "OTEL_BSP_MAX_QUEUE_SIZE")) {
            queue = positiveInt("OTEL_BSP_MAX_QUEUE_SIZE", env.get("OTEL_BSP_MAX_QUEUE_SIZE"));
            batch.setMaxQueueSize(queue);
        }
        if (OtlpEnvironment.present(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE")) {
            int size = positiveInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", env.get("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"));
            if (size > queue) {
                throw new IllegalArgumentException("OTEL_BSP_MAX_EXPORT_BATCH_SIZE: " + size
                        + " exceeds the queue size " + queue);
            }
            batch.setMaxExportBatchSize(size);
        }
        return batch.build();
    }

    private static int positiveInt(String variable, String value) {
        long parsed = OtlpEnvironment.nonNegativeLong(variable, value);
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(variable + ": '" + value + "' must be between 1 and "
                    + Integer.MAX_VALUE);
        }
        return (int) parsed;
    }
}
