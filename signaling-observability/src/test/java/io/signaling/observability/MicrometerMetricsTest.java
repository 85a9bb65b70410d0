package io.signaling.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.signaling.ports.log.Logger;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.metrics.Tags;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a Prometheus scrape shows for meters made through the adapter. */
class MicrometerMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RecordingLogger warnings = new RecordingLogger();
    private final Metrics metrics = Observability.micrometerMetrics(registry, warnings);

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void aTimerNamedHttpServerRequestsScrapesAsASecondsHistogram() {
        Tags tags = Tags.of("method", "GET", "uri", "/health/ready", "status", "200", "outcome", "SUCCESS",
                "exception", "none");
        Metrics.Timer timer = metrics.timer("http.server.requests", "HTTP server requests", tags);
        timer.record(Duration.ofMillis(3));
        timer.record(Duration.ofMillis(40));
        timer.record(Duration.ofMillis(700));

        String scrape = registry.scrape();
        String labels = "exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/health/ready\"";
        assertThat(scrape)
                .contains("# HELP http_server_requests_seconds HTTP server requests")
                .contains("# TYPE http_server_requests_seconds histogram")
                .contains("http_server_requests_seconds_count{" + labels + "} 3")
                .contains("http_server_requests_seconds_bucket{" + labels + ",le=\"0.005\"} 1")
                .contains("http_server_requests_seconds_bucket{" + labels + ",le=\"0.05\"} 2")
                .contains("http_server_requests_seconds_bucket{" + labels + ",le=\"1.0\"} 3")
                .contains("http_server_requests_seconds_bucket{" + labels + ",le=\"+Inf\"} 3")
                .contains("http_server_requests_seconds_max{" + labels + "} 0.7");
        assertThat(scrape).containsPattern("http_server_requests_seconds_sum\\{" + java.util.regex.Pattern.quote(labels)
                + "} 0\\.74\\d*");
    }

    @Test
    void timerBucketsSpanOneMillisecondToTenSecondsAndStayBounded() {
        metrics.timer("signaling.relay", "Relay latency", Tags.empty()).recordNanos(1_000_000);
        double[] bounds = bucketBounds("signaling_relay_seconds_bucket");

        assertThat(bounds).contains(0.001, 0.005, 0.01, 0.1, 1.0, 10.0);
        assertThat(Arrays.stream(bounds).filter(b -> !Double.isInfinite(b)).max().orElseThrow()).isEqualTo(10.0);
        assertThat(Arrays.stream(bounds).min().orElseThrow()).isEqualTo(0.001);
        assertThat(bounds.length).as("series per timer").isLessThan(100);
    }

    @Test
    void summariesScrapeAsHistogramsInTheirBaseUnit() {
        Metrics.Summary sizes = metrics.summary("websocket.message", "Message sizes", "bytes", Tags.of("kind", "text"));
        sizes.record(100);
        sizes.record(300);

        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("# TYPE websocket_message_bytes histogram")
                .contains("websocket_message_bytes_count{kind=\"text\"} 2")
                .contains("websocket_message_bytes_sum{kind=\"text\"} 400.0");
        double[] bounds = bucketBounds("websocket_message_bytes_bucket");
        assertThat(bounds).contains(1.0, 2.0, 128.0, 1024.0, 16_777_216.0, Double.POSITIVE_INFINITY);
        assertThat(bounds.length).isLessThan(30);
        assertThat(scrape).contains("websocket_message_bytes_bucket{kind=\"text\",le=\"128.0\"} 1")
                .contains("websocket_message_bytes_bucket{kind=\"text\",le=\"512.0\"} 2");
    }

    @Test
    void countersAndGaugesScrapeWithDescriptionAndTags() {
        metrics.counter("signaling.messages", "Messages relayed", Tags.of("type", "offer")).increment(2);
        AtomicInteger rooms = new AtomicInteger(4);
        metrics.gauge("signaling.rooms", "Open rooms", Tags.of("region", "eu"), rooms::get);

        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("# HELP signaling_messages_total Messages relayed")
                .contains("signaling_messages_total{type=\"offer\"} 2.0")
                .contains("# HELP signaling_rooms Open rooms")
                .contains("signaling_rooms{region=\"eu\"} 4.0");
    }

    @Test
    void repeatedLookupsReturnTheCachedMeter() {
        Tags tags = Tags.of("type", "offer");
        assertThat(metrics.counter("signaling.messages", "d", tags)).isSameAs(metrics.counter("signaling.messages", "d", tags));
        assertThat(metrics.timer("signaling.t", "d", tags)).isSameAs(metrics.timer("signaling.t", "d", Tags.of("type", "offer")));
        assertThat(metrics.summary("signaling.s", "d", "bytes", tags)).isSameAs(metrics.summary("signaling.s", "d", "bytes", tags));
        assertThat(metrics.counter("signaling.messages", "d", Tags.of("type", "answer")))
                .isNotSameAs(metrics.counter("signaling.messages", "d", tags));
    }

    @Test
    void theFirstGaugeForANameAndTagsStaysAuthoritative() {
        metrics.gauge("signaling.peers", "Peers", Tags.empty(), () -> 1);
        metrics.gauge("signaling.peers", "Peers", Tags.empty(), () -> 2);
        assertThat(registry.get("signaling.peers").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aRefusedRegistrationIsReportedOnceAndRecordsNothingInsteadOfThrowing() {
        metrics.counter("signaling.clash", "A counter", Tags.empty()).increment();

        Metrics.Timer clash = metrics.timer("signaling.clash", "The same name as a timer", Tags.empty());
        assertThatCode(() -> clash.recordNanos(1_000)).doesNotThrowAnyException();
        metrics.timer("signaling.clash", "The same name as a timer", Tags.empty()).recordNanos(1_000);

        assertThat(warnings.events).hasSize(1);
        RecordingLogger.Event warning = warnings.events.get(0);
        assertThat(warning.level()).isEqualTo(Logger.Level.WARN);
        assertThat(warning.keyValues()).containsEntry("metric", "signaling.clash").containsEntry("type", "timer");
        assertThat(warning.error()).isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.get("signaling.clash").counter().count()).as("the first meter is untouched").isEqualTo(1.0);
    }

    @Test
    void aMissingNameIsAProgrammingErrorWithAPreciseMessage() {
        assertThatThrownBy(() -> metrics.counter(null, "d", Tags.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> metrics.timer(" ", "d", Tags.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> metrics.gauge("g", "d", Tags.empty(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("value");
    }

    @Test
    void nullTagsMeanNoTags() {
        metrics.counter("signaling.untagged", "d", null).increment();
        assertThat(registry.get("signaling.untagged").counter().getId().getTags()).isEmpty();
    }

    private double[] bucketBounds(String bucketSeries) {
        return registry.scrape().lines()
                .filter(line -> line.startsWith(bucketSeries + "{"))
                .map(line -> line.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
                .mapToDouble(le -> le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le))
                .toArray();
    }
}
