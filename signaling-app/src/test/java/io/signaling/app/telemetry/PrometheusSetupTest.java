package io.signaling.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusSetupTest {

    /** What Prometheus 2.x sends when scraping. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final PrometheusSetup setup = PrometheusSetup.create(MetricsSettings.of("signaling", "node-1"));

    @AfterEach
    void close() {
        setup.close();
    }

    @Test
    void textFormatByDefaultWithJvmAndProcessMetricsAndCommonTags() {
        PrometheusScrape.Result result = setup.scrape().scrape(null);

        assertThat(result.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        String body = result.body();
        assertThat(body).contains(
                "# TYPE jvm_memory_used_bytes gauge",
                "jvm_gc_", // GC
                "jvm_threads_live_threads",
                "jvm_classes_loaded_classes",
                "process_cpu_usage",
                "system_cpu_count",
                "process_uptime_seconds",
                "process_files_open_files",
                "jvm_info");
        assertThat(body).doesNotContain("# EOF");
        assertThat(body).containsPattern(
                "jvm_memory_used_bytes\\{[^}]*instance=\"node-1\"[^}]*service=\"signaling\"[^}]*} \\S+");
        // Every sample carries the common tags, not just some.
        body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(sample ->
                assertThat(sample).contains("service=\"signaling\"").contains("instance=\"node-1\""));
        assertThat(result.bodyBytes()).hasSize(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void droppedLogEventsAreExportedFromTheRealLogQueue() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // stdout that nobody reads: the first write blocks until released.
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        LogbackSetup logging = LogbackSetup.configure(
                new LoggingSettings(LoggingSettings.Format.JSON, "INFO", Map.of(), 1, false), new LoggerContext(), stuck);
        try {
            setup.bindDroppedLogEvents(logging);
            assertThat(setup.scrape().scrape(null).body())
                    .containsPattern("signaling_log_events_dropped_total\\{[^}]*} 0\\.0");

            org.slf4j.Logger log = logging.context().getLogger("burst");
            log.info("taken by the writer, which then blocks");
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            // One slot: the next event waits in it, the eight after it find no room.
            for (int i = 0; i < 9; i++) {
                log.info("event {}", i);
            }
            assertThat(logging.droppedEvents()).isEqualTo(8);
            assertThat(setup.scrape().scrape(null).body())
                    .containsPattern("signaling_log_events_dropped_total\\{[^}]*service=\"signaling\"[^}]*} 8\\.0");
        } finally {
            release.countDown();
            logging.stop();
        }
    }

    @Test
    void openMetricsWhenAcceptAsksAndItEndsWithEof() {
        PrometheusScrape.Result result = setup.scrape().scrape(PROMETHEUS_ACCEPT);

        assertThat(result.contentType()).isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(result.body()).endsWith("# EOF\n");
        assertThat(result.body()).contains("# TYPE jvm_memory_used_bytes gauge");
        assertThat(result.body()).containsPattern("jvm_info\\{[^}]*service=\"signaling\"");
    }

    // Note the name: prometheus-metrics strips a trailing _created/_total/_info/... suffix from
    // meter names, so a meter named "..._created" would not be scraped under that name.
    @Test
    void metersRegisteredLaterAlsoGetTheCommonTags() {
        setup.registry().counter("signaling_rooms_opened").increment();

        assertThat(setup.scrape().scrape("text/plain").body())
                .containsPattern("signaling_rooms_opened_total\\{instance=\"node-1\",service=\"signaling\"} 1\\.0");
    }

    @Test
    void negotiationFollowsTheAcceptHeader() {
        String om = PrometheusScrape.OPENMETRICS_CONTENT_TYPE;
        String text = PrometheusScrape.TEXT_CONTENT_TYPE;
        assertThat(PrometheusScrape.negotiate(null)).isEqualTo(text);
        assertThat(PrometheusScrape.negotiate("")).isEqualTo(text);
        assertThat(PrometheusScrape.negotiate("*/*")).isEqualTo(text);
        assertThat(PrometheusScrape.negotiate("text/plain")).isEqualTo(text);
        assertThat(PrometheusScrape.negotiate("application/openmetrics-text")).isEqualTo(om);
        assertThat(PrometheusScrape.negotiate("Application/OpenMetrics-Text; version=1.0.0")).isEqualTo(om);
        assertThat(PrometheusScrape.negotiate(PROMETHEUS_ACCEPT)).isEqualTo(om);
        assertThat(PrometheusScrape.negotiate("text/plain, application/openmetrics-text;q=0.5")).isEqualTo(text);
        assertThat(PrometheusScrape.negotiate("application/openmetrics-text;q=0")).isEqualTo(text);
        assertThat(PrometheusScrape.negotiate("application/openmetrics-text;q=banana")).isEqualTo(text);
        assertThat(PrometheusScrape.negotiate(";;,,garbage/;q=")).isEqualTo(text);
        assertThat(PrometheusScrape.negotiate("application/vnd.google.protobuf;"
                + "proto=io.prometheus.client.MetricFamily;encoding=delimited")).isEqualTo(text);
    }

    @Test
    void closeClosesTheRegistryAndIsIdempotent() {
        setup.close();
        setup.close();

        assertThat(setup.registry().isClosed()).isTrue();
    }

    @Test
    void invalidTagNamesAreRejected() {
        assertThatThrownBy(() -> new MetricsSettings(Map.of("bad-name", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad-name'");
        assertThatThrownBy(() -> new MetricsSettings(Map.of("__reserved", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'__reserved'");
        java.util.Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("service", null);
        assertThatThrownBy(() -> new MetricsSettings(nullValue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'service'");
    }
}
