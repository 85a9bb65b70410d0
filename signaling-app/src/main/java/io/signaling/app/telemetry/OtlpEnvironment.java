package io.signaling.app.telemetry;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the standard OTLP exporter variables, the traces-specific one winning over the general
 * one as the specification says, and builds the http/protobuf span exporter from them.
 *
 * <ul>
 *   <li>{@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}: used as is;
 *       else {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/traces};
 *       else {@code http://localhost:4318/v1/traces}</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_[TRACES_]HEADERS}: {@code k1=v1,k2=v2}, values
 *       percent-decoded; traces-specific entries override general ones</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT}: milliseconds, default 10000</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION}: {@code gzip} or {@code none}</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL}: only {@code http/protobuf} is supported</li>
 * </ul>
 * Any malformed value is rejected with an {@link IllegalArgumentException} naming the variable.
 */
final class OtlpEnvironment {

    static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String endpoint;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final String compression;

    private OtlpEnvironment(String endpoint, Map<String, String> headers, Duration timeout, String compression) {
        this.endpoint = endpoint;
        this.headers = headers;
        this.timeout = timeout;
        this.compression = compression;
    }

    static OtlpEnvironment from(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String protocolVar = pick(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL");
        if (protocolVar != null && !env.get(protocolVar).trim().equals("http/protobuf")) {
            throw new IllegalArgumentException(protocolVar + ": '" + env.get(protocolVar)
                    + "' is not supported (only http/protobuf)");
        }

        String endpoint;
        if (present(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
            endpoint = validUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").trim());
        } else if (present(env, "OTEL_EXPORTER_OTLP_ENDPOINT")) {
            String base = validUrl("OTEL_EXPORTER_OTLP_ENDPOINT", env.get("OTEL_EXPORTER_OTLP_ENDPOINT").trim());
            endpoint = (base.endsWith("/") ? base : base + "/") + "v1/traces";
        } else {
            endpoint = DEFAULT_ENDPOINT;
        }

        Map<String, String> headers = new LinkedHashMap<>();
        parseHeaders(env, "OTEL_EXPORTER_OTLP_HEADERS", headers);
        parseHeaders(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", headers);

        Duration timeout = DEFAULT_TIMEOUT;
        String timeoutVar = pick(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT");
        if (timeoutVar != null) {
            timeout = Duration.ofMillis(nonNegativeLong(timeoutVar, env.get(timeoutVar)));
        }

        String compression = "none";
        String compressionVar = pick(env, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION");
        if (compressionVar != null) {
            compression = env.get(compressionVar).trim().toLowerCase(Locale.ROOT);
            if (!compression.equals("gzip") && !compression.equals("none")) {
                throw new IllegalArgumentException(compressionVar + ": '" + env.get(compressionVar)
                        + "' is not supported (expected gzip or none)");
            }
        }
        return new OtlpEnvironment(endpoint, Map.copyOf(headers), timeout, compression);
    }

    String endpoint() {
        return endpoint;
    }

    Map<String, String> headers() {
        return headers;
    }

    Duration timeout() {
        return timeout;
    }

    String compression() {
        return compression;
    }

    SpanExporter exporter() {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(timeout)
                .setCompression(compression)
                // The default would read GlobalOpenTelemetry; the app registers no globals.
                .setMeterProvider(MeterProvider::noop);
        headers.forEach(builder::addHeader);
        return builder.build();
    }

    /** Reads a non-negative integer variable such as {@code OTEL_BSP_SCHEDULE_DELAY}. */
    static long nonNegativeLong(String variable, String value) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw new IllegalArgumentException(variable + ": '" + value + "' must not be negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + ": '" + value + "' is not a whole number", e);
        }
    }

    static boolean present(Map<String, String> env, String variable) {
        String value = env.get(variable);
        return value != null && !value.isBlank();
    }

    private static String pick(Map<String, String> env, String specific, String general) {
        if (present(env, specific)) {
            return specific;
        }
        return present(env, general) ? general : null;
    }

    private static String validUrl(String variable, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(variable + ": '" + value
                        + "' is not an absolute http(s) URL, e.g. http://collector:4318");
            }
            return value;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(variable + ": '" + value + "' is not a valid URL: "
                    + e.getMessage(), e);
        }
    }

    private static void parseHeaders(Map<String, String> env, String variable, Map<String, String> into) {
        if (!present(env, variable)) {
            return;
        }
        for (String entry : env.get(variable).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(variable + ": entry '" + entry.trim()
                        + "' is not of the form key=value");
            }
            String key = entry.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(variable + ": entry '" + entry.trim() + "' has an empty key");
            }
            String raw = entry.substring(eq + 1).trim();
            try {
                // Percent-encoding per the W3C baggage format; '+' is a literal plus there.
                into.put(key, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(variable + ": value of '" + key
                        + "' has a malformed percent-encoding", e);
            }
        }
    }
}
