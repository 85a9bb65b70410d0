package io.signaling.app.telemetry;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders a scrape of the registry in the format the client's {@code Accept} header asks for:
 * OpenMetrics 1.0.0 when it lists {@code application/openmetrics-text} with a quality at least
 * that of any text/plain range it lists (what Prometheus itself sends), otherwise the Prometheus
 * text format 0.0.4, also for a missing, empty or malformed header. Protobuf is never chosen.
 * Thread-safe; a scrape never throws for a bad header.
 */
public final class PrometheusScrape {

    /** Content type of an OpenMetrics response. */
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** Content type of a Prometheus text format response. */
    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * One rendered scrape.
     *
     * @param contentType the {@code Content-Type} header to send
     * @param body        the exposition text
     */
    public record Result(String contentType, String body) {
        public Result {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }

        /** The body as UTF-8, as the content type declares. */
        public byte[] bodyBytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final PrometheusMeterRegistry registry;

    public PrometheusScrape(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Scrapes the registry.
     *
     * @param acceptHeader the request's {@code Accept} header, or {@code null}
     */
    /** {@code GET /metrics}: the scrape in the format the request's {@code Accept} asks for. */
    public io.signaling.ports.http.HttpHandler handler() {
        return exchange -> {
            Result result = scrape(exchange.requestHeader("Accept").orElse(null));
            exchange.status(200)
                    .responseHeader("Content-Type", result.contentType())
                    .responseHeader("Cache-Control", "no-store");
            exchange.send(result.bodyBytes());
        };
    }

    public Result scrape(String acceptHeader) {
        String contentType = negotiate(acceptHeader);
        return new Result(contentType, registry.scrape(contentType));
    }

    /** The content type to answer {@code acceptHeader} with. */
    static String negotiate(String acceptHeader) {
        if (acceptHeader == null || acceptHeader.isBlank()) {
            return TEXT_CONTENT_TYPE;
        }
        double openMetrics = -1;
        double text = -1;
        for (String range : acceptHeader.split(",", -1)) {
            String[] parts = range.split(";", -1);
            String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
            double quality = quality(parts);
            if (mediaType.equals("application/openmetrics-text")) {
                openMetrics = Math.max(openMetrics, quality);
            } else if (mediaType.equals("text/plain")) {
                text = Math.max(text, quality);
            }
        }
        return openMetrics > 0 && openMetrics >= text ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(param.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
