package io.signaling.app.process;

import io.signaling.app.Launcher;
import io.signaling.app.telemetry.LogbackSetup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The product's launcher, exactly as {@code Main} runs it, plus one public route the product does
 * not have: {@code GET /slow?release=PATH&maxMs=N} prints {@code slow-request-started} on stdout,
 * then blocks until the file {@code PATH} exists (or {@code maxMs} passed, 10 s at most) and
 * answers 200 with {@link #BODY}. The test decides when the request completes by creating the file.
 */
public final class SlowRouteMain {

    static final String MARKER = "slow-request-started";
    static final String BODY = "slow request completed: " + "x".repeat(4096);
    private static final long MAX_BLOCK_MS = 10_000;

    private SlowRouteMain() {
    }

    public static void main(String[] args) {
        LogbackSetup.routeJBossLoggingToSlf4j();
        int code = new Launcher(System.getenv(), System.out, System.err, Launcher.osSignals(),
                node -> node.publicRoutes(router -> router.get("/slow", exchange -> {
                    Path release = Path.of(exchange.queryParameter("release").orElseThrow());
                    long maxMs = Math.min(MAX_BLOCK_MS, Long.parseLong(exchange.queryParameter("maxMs").orElse("10000")));
                    System.out.println(MARKER);
                    System.out.flush();
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
                    // Polling a file is the only channel from the test into this process; the poll
                    // is the simulated slow work, bounded by maxMs.
                    while (!Files.exists(release) && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    exchange.status(200).send("text/plain; charset=utf-8", BODY);
                })))
                .run(args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
