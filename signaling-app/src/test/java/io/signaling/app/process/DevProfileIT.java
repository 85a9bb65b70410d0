package io.signaling.app.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --profile dev} without the compose stack's collector: the console stays readable. The
 * "collector" here accepts each connection and drops it, so every export fails (and the test can
 * count the attempts); across many failed batches the node says so in one WARN line without a stack
 * trace, and the JDK's own loggers (security events, the HttpClient) write nothing at the DEBUG root.
 */
class DevProfileIT {

    @RegisterExtension
    final StartedProcesses processes = new StartedProcesses();

    @Test
    void anUnreachableCollectorIsOneWarningAndTheJdkStaysQuiet() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (ServerSocket collector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread dropper = new Thread(() -> {
                while (!collector.isClosed()) {
                    try {
                        Socket dropped = collector.accept();
                        attempts.incrementAndGet();
                        dropped.close();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "dropping-collector");
            dropper.setDaemon(true);
            dropper.start();

            // Probes are the spans this test makes, and they get spans only when asked for.
            AppProcess app = processes.track(AppProcess.jar("--profile", "dev", "--server.host=127.0.0.1",
                            "--server.port=0", "--admin.port=0", "--tracing.health-probe-spans=true")
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getLocalPort())
                    .env("OTEL_BSP_SCHEDULE_DELAY", "100")
                    .start());
            AppProcess.Started started = waitStarted(app);
            HttpClient http = HttpClient.newHttpClient();
            URI live = URI.create("http://127.0.0.1:" + started.publicUri().getPort() + "/health/live");
            // Each request is a span; keep them coming until many batches have failed.
            await("many failed exports").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(150)).until(() -> {
                http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.discarding());
                return attempts.get() >= 8;
            });
            await("the warning").atMost(Duration.ofSeconds(30)).until(() ->
                    app.stdout().contains("traces are not exported: the OTLP collector is unreachable"));
            app.signal("TERM");
            assertThat(app.awaitExit(AppProcess.EXIT_TIMEOUT)).as(app.describe()).isZero();

            List<String> lines = app.stdoutLines();
            assertThat(lines).filteredOn(l -> l.contains("OTLP collector is unreachable")).as(app.describe()).hasSize(1);
            assertThat(lines).as("no stack trace").noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by: "));
            assertThat(lines).as("nothing from the JDK's own loggers").noneMatch(l -> l.contains(" jdk."));
            assertThat(lines).as("nothing from the OTLP exporter's own logger").noneMatch(l -> l.contains("HttpExporter"));
        }
    }

    /** The dev profile logs text: the started line found by its message, the public address read from it. */
    private static AppProcess.Started waitStarted(AppProcess app) {
        await("started").atMost(AppProcess.START_TIMEOUT).until(() -> app.stdout().contains(" - started "));
        String line = app.stdoutLines().stream().filter(l -> l.contains(" - started ")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("public=\"?(http://[^\" ]+)").matcher(line);
        assertThat(m.find()).as("public address in %s", line).isTrue();
        return new AppProcess.Started(URI.create(m.group(1)), null, null);
    }
}
