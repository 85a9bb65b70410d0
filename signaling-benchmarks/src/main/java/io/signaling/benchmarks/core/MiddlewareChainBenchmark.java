package io.signaling.benchmarks.core;

import io.signaling.application.http.StandardMiddleware;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Middleware;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Question: what does the whole standard middleware chain (request id, recovery, tracing,
 * metrics, access log) add to one request, on top of the handler itself, with no-op telemetry
 * and with the real adapters and back-ends on, for a health probe with and without its span?
 * {@code bare} is the handler alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MiddlewareChainBenchmark {

    private static final byte[] BODY = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    /** {@code noop}: no telemetry adapter; {@code full}: Logback JSON, Prometheus, OTel SDK sampling all. */
    @Param({"noop", "full"})
    public String telemetry;

    /** {@code excluded}: a health probe the access log skips; {@code logged}: a route it logs. */
    @Param({"excluded", "logged"})
    public String route;

    /**
     * {@code off}: health probes start no span (the default, {@code tracing.health-probe-spans=false});
     * {@code on}: every route is traced, as before that setting existed.
     */
    @Param({"off", "on"})
    public String probeSpans;

    private Telemetry backends;
    private HttpHandler bare;
    private HttpHandler chained;
    private BenchExchange exchange;

    @Setup(Level.Trial)
    public void setUp() {
        LoggerFactory loggers = LoggerFactory.noop();
        Metrics metrics = Metrics.noop();
        Tracer tracer = Tracer.noop();
        if ("full".equals(telemetry)) {
            backends = Telemetry.full();
            loggers = backends.loggers;
            metrics = backends.metrics;
            tracer = backends.tracer;
        }
        bare = ex -> {
            ex.responseHeader("Content-Type", "application/json");
            ex.send(BODY);
        };
        List<Middleware> middleware = StandardMiddleware.builder(loggers, metrics, tracer)
                .accessLogExcludes(Set.of("/health/live"))
                .untracedRoutes("on".equals(probeSpans) ? Set.of() : StandardMiddleware.DEFAULT_UNTRACED_ROUTES)
                .build()
                .middleware();
        HttpHandler handler = bare;
        for (int i = middleware.size() - 1; i >= 0; i--) {
            handler = middleware.get(i).wrap(handler);
        }
        chained = handler;
        String path = "excluded".equals(route) ? "/health/live" : "/rooms/lobby";
        String template = "excluded".equals(route) ? "/health/live" : "/rooms/{id}";
        exchange = new BenchExchange("GET", path, template, Map.of(
                "User-Agent", List.of("wrk/4.2"),
                "Host", List.of("127.0.0.1:8080"),
                "traceparent", List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backends != null) {
            backends.close();
        }
    }

    @Benchmark
    public long bareHandler() throws Exception {
        BenchExchange ex = exchange.reset();
        bare.handle(ex);
        return ex.responseBytes();
    }

    @Benchmark
    public long everyMiddleware() throws Exception {
        BenchExchange ex = exchange.reset();
        chained.handle(ex);
        return ex.responseBytes();
    }
}
