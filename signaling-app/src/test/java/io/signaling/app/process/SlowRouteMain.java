package io.signaling.app.process;

import io.signaling.app.Launcher;
import io.signaling.app.telemetry.LogbackSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
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

    /**
     * Blocks until {@code file} exists or {@code maxMs} passed: the file is the only channel from
     * the test into this process, and a directory watch wakes on its creation rather than polling.
     */
    static void awaitFile(Path file, long maxMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        try (WatchService watch = file.getFileSystem().newWatchService()) {
            file.toAbsolutePath().getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(file)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    public static void main(String[] args) {
        LogbackSetup.routeJBossLoggingToSlf4j();
        int code = new Launcher(System.getenv(), System.out, System.err, Launcher.osSignals(),
                node -> node.publicRoutes(router -> router.get("/slow", exchange -> {
                    Path release = Path.of(exchange.queryParameter("release").orElseThrow());
                    long maxMs = Math.min(MAX_BLOCK_MS, Long.parseLong(exchange.queryParameter("maxMs").orElse("10000")));
                    System.out.println(MARKER);
                    System.out.flush();
                    awaitFile(release, maxMs);
                    exchange.status(200).send("text/plain; charset=utf-8", BODY);
                })))
                .run(args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
