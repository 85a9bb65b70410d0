package io.signaling.app;

import io.signaling.app.telemetry.LogbackSetup;

/** Entry point of {@code java -jar signaling-app.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Before any Undertow or XNIO class loads, so that their logging lands in SLF4J.
        LogbackSetup.routeJBossLoggingToSlf4j();
        int code = new Launcher(System.getenv(), System.out, System.err, new OsSignals()).run(args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
