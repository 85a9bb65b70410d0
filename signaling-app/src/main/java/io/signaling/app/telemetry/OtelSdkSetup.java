package io.signaling.app.telemetry;

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
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds and owns the OpenTelemetry SDK used for tracing. The SDK is never registered as
 * {@code GlobalOpenTelemetry}: the launcher hands {@link #sdk()} to the tracer adapter.
 *
 * <ul>
 *   <li>Resource: the SDK defaults, then {@code OTEL_RESOURCE_ATTRIBUTES} from the settings'
 *       environment, then {@code service.name}, {@code service.version} and
 *       {@code service.instance.id} from the settings, which win.</li>
 *   <li>Propagation: W3C {@code traceparent}/{@code tracestate} and W3C {@code baggage}.</li>
 *   <li>Sampling: parent-based; new root traces sampled with the configured ratio. With the
 *       exporter {@code none}, nothing is sampled.</li>
 *   <li>Export: {@code none} samples nothing and ends spans in a processor that drops them
 *       (spans still get ids, propagate and appear in logs; the SDK would hand out a no-op tracer
 *       minting no ids if there were no processor at all); {@code otlp} and {@code logging} go through a {@link BatchSpanProcessor}, tuned by
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

    private final OpenTelemetrySdk sdk;
    private final AtomicBoolean shutDown = new AtomicBoolean();

    private OtelSdkSetup(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    /**
     * Builds the SDK from {@code settings}.
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

    /** The core of {@link #create(TracingSettings)} with the exporter given; {@code null} = none. */
    static OtelSdkSetup create(TracingSettings settings, SpanExporter exporter) {
        Objects.requireNonNull(settings, "settings");
        try {
            // With nowhere to send them, recorded spans are pure cost (a fifth of the relay's
            // throughput, docs/performance.md): none records nothing, whatever the ratio or parent.
            SdkTracerProviderBuilder tracing = SdkTracerProvider.builder()
                    .setResource(resource(settings))
                    .setSampler(exporter == null ? Sampler.alwaysOff()
                            : Sampler.parentBased(Sampler.traceIdRatioBased(settings.samplingRatio())));
            // Without any processor the SDK hands out the no-op tracer, which mints no trace ids:
            // "none" would then lose log correlation and traceresponse, hence a discarding one.
            tracing.addSpanProcessor(exporter != null
                    ? batchProcessor(exporter, settings.otelEnv())
                    : new DiscardingSpanProcessor());
            OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(tracing.build())
                    .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                    .build();
            return new OtelSdkSetup(sdk);
        } catch (RuntimeException e) {
            // The exporter may own an HTTP client and threads; a failed start must not leak them.
            if (exporter != null) {
                exporter.shutdown();
            }
            throw e;
        }
    }

    /** The SDK, for the tracer adapter. */
    public OpenTelemetrySdk sdk() {
        return sdk;
    }

    /** Exports every finished span now; {@code true} if that completed within {@code timeout}. */
    public boolean forceFlush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
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
        if (!shutDown.compareAndSet(false, true)) {
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

    /** Ends spans nowhere; see {@link #create(TracingSettings, SpanExporter)} for why it exists. */
    static final class DiscardingSpanProcessor implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }
}
